import { exportResponse } from '$lib/server/exports';
import type { RequestHandler } from './$types';

/** `GET /api/meetings/:id/export.pdf`: see docs/api.md, "Exports of a closed plan". */
export const GET: RequestHandler = (event) => exportResponse(event, 'pdf');
