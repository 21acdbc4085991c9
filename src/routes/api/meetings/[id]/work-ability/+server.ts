import { json } from '@sveltejs/kit';
import { WorkAbilityChange } from '$lib/protocol/agenda';
import { apiError, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** `PUT /api/meetings/:id/work-ability` `{score: 0–10}` → 200. The client or the coordinator. */
export const PUT: RequestHandler = async ({ params, request, locals }) => {
	try {
		const { score } = await readJson(request, WorkAbilityChange);
		const access = locals.app.participation.access(locals.principal, params.id);
		return json({ score: locals.app.followUp.setWorkAbility(access, score) });
	} catch (cause) {
		return apiError(cause);
	}
};
