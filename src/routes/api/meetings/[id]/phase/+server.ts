import { json } from '@sveltejs/kit';
import { PhaseChange } from '$lib/protocol/agenda';
import { apiError, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** `PUT /api/meetings/:id/phase` `{phase}` → 200 `{phase}`. The meeting's coordinator only. */
export const PUT: RequestHandler = async ({ params, request, locals }) => {
	try {
		const { phase } = await readJson(request, PhaseChange);
		const access = locals.app.participation.access(locals.principal, params.id);
		locals.app.room.setPhase(access, phase);
		return json({ phase });
	} catch (cause) {
		return apiError(cause);
	}
};
