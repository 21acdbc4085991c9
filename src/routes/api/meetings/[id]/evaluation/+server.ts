import { json } from '@sveltejs/kit';
import { EvaluationInput } from '$lib/protocol/closing';
import { apiError, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** `GET /api/meetings/:id/evaluation` → ratings side by side, GAS T-scores, work ability, "heard". */
export const GET: RequestHandler = async ({ params, locals }) => {
	try {
		locals.app.participation.access(locals.principal, params.id);
		return json(await locals.app.closing.evaluation(params.id));
	} catch (cause) {
		return apiError(cause);
	}
};

/** `POST /api/meetings/:id/evaluation` `{goalId, rater, rating}` or `{heard}` → 200 the evaluation. */
export const POST: RequestHandler = async ({ params, request, locals }) => {
	try {
		const input = await readJson(request, EvaluationInput);
		const access = locals.app.participation.access(locals.principal, params.id);
		if ('heard' in input) locals.app.closing.recordHeard(access, input.heard);
		else locals.app.closing.rateGoal(access, input.goalId, input.rater, input.rating);
		return json(await locals.app.closing.evaluation(params.id));
	} catch (cause) {
		return apiError(cause);
	}
};
