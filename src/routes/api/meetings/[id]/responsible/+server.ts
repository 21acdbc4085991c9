import { json } from '@sveltejs/kit';
import { ResponsibleChange } from '$lib/protocol/agenda';
import { apiError, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';

/**
 * `PUT /api/meetings/:id/responsible` `{participantId, followUpDate, followUpMode, contact}` → 200
 * with the decision, 422 with the reason, 403 for anyone but the meeting's coordinator.
 */
export const PUT: RequestHandler = async ({ params, request, locals }) => {
	try {
		const input = await readJson(request, ResponsibleChange);
		const access = locals.app.participation.access(locals.principal, params.id);
		return json(locals.app.followUp.set(access, input));
	} catch (cause) {
		return apiError(cause);
	}
};
