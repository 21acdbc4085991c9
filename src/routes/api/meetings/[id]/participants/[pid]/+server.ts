import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** `DELETE /api/meetings/:id/participants/:pid` → 204; their live connections close at once. */
export const DELETE: RequestHandler = async ({ params, locals }) => {
	try {
		await locals.app.participation.revoke(locals.principal, params.id, params.pid);
		return new Response(null, { status: 204 });
	} catch (cause) {
		return apiError(cause);
	}
};
