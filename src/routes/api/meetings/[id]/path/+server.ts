import { json } from '@sveltejs/kit';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/**
 * `DELETE /api/meetings/:id/path` → 200 `{ deleted: [meeting ids] }`: deletes the content of every
 * meeting of the meeting's service path now (docs/retention.md). A coordinator of every meeting of the
 * path; anyone else 403, and nothing is deleted.
 */
export const DELETE: RequestHandler = async ({ params, locals }) => {
	try {
		const deleted = await locals.app.retention.deletePath(locals.principal, params.id);
		return json({ deleted });
	} catch (cause) {
		return apiError(cause);
	}
};
