import { json } from '@sveltejs/kit';
import * as v from 'valibot';
import { apiError, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';

const ResponsibleBody = v.object({
	participantId: v.pipe(v.string(), v.maxLength(64)),
	followUpDate: v.pipe(v.string(), v.maxLength(10)),
	followUpMode: v.pipe(v.string(), v.maxLength(10)),
	contact: v.pipe(v.string(), v.maxLength(500))
});

/**
 * `PUT /api/meetings/:id/responsible` `{participantId, followUpDate, followUpMode, contact}` → 200
 * with the decision, 422 with the reason, 403 for anyone but the meeting's coordinator.
 */
export const PUT: RequestHandler = async ({ params, request, locals }) => {
	try {
		const input = await readJson(request, ResponsibleBody);
		const access = locals.app.participation.access(locals.principal, params.id);
		return json(locals.app.followUp.set(access, input));
	} catch (cause) {
		return apiError(cause);
	}
};
