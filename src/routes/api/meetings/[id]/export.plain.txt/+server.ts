import { exportResponse } from '$lib/server/exports';
import type { RequestHandler } from './$types';

/** `GET /api/meetings/:id/export.plain.txt`: see docs/api.md, "Exports of a closed plan". */
export const GET: RequestHandler = (event) => exportResponse(event, 'plain-txt');
