import { json } from '@sveltejs/kit';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** `GET /api/meetings/:id/plan` → the live plan as JSON (docs/api.md). Any participant. */
export const GET: RequestHandler = async ({ params, locals }) => {
	try {
		locals.app.participation.view(locals.principal, params.id, 'api');
		return json(await locals.app.plan(params.id), { headers: { 'cache-control': 'no-store' } });
	} catch (cause) {
		return apiError(cause);
	}
};
