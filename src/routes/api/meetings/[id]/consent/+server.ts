import { json } from '@sveltejs/kit';
import { ConsentChange } from '$lib/protocol/participants';
import { apiError, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** `GET /api/meetings/:id/consent` → `{ consent, previous }`. Any participant. */
export const GET: RequestHandler = async ({ params, locals }) => {
	try {
		locals.app.participation.access(locals.principal, params.id);
		return json(locals.app.clientConsent.current(params.id), { headers: { 'cache-control': 'no-store' } });
	} catch (cause) {
		return apiError(cause);
	}
};

/**
 * `PUT /api/meetings/:id/consent` `{ organisations: [...] }` → 200 the recorded consent. The client, or
 * the coordinator with the client; 409 once the meeting is closed. `[]` records "not shared".
 */
export const PUT: RequestHandler = async ({ params, request, locals }) => {
	try {
		const { organisations } = await readJson(request, ConsentChange);
		const access = locals.app.participation.access(locals.principal, params.id);
		return json(locals.app.clientConsent.change(access, locals.principal, organisations));
	} catch (cause) {
		return apiError(cause);
	}
};
