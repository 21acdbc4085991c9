import { json } from '@sveltejs/kit';
import * as v from 'valibot';
import { CloseRequest } from '$lib/protocol/closing';
import { apiError, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';

/**
 * `GET /api/meetings/:id/close` → `{ closed, missing, version, consent, previousConsent,
 * incompleteActions }`: the closing checklist. Any participant.
 */
export const GET: RequestHandler = async ({ params, locals }) => {
	try {
		locals.app.participation.access(locals.principal, params.id);
		const version = locals.app.closing.version(params.id);
		const { consent, previous } = locals.app.clientConsent.current(params.id);
		return json({
			closed: version !== null,
			missing: version ? [] : await locals.app.closing.checklist(params.id),
			version: version && { version: version.version, hash: version.hash, closedAt: version.closedAt },
			consent,
			previousConsent: previous,
			incompleteActions: version ? [] : await locals.app.closing.incompleteActions(params.id)
		});
	} catch (cause) {
		return apiError(cause);
	}
};

/**
 * `POST /api/meetings/:id/close` `{ confirmIncompleteActions? }` → 200 `{ version, hash }`, or 409
 * `{ error, missing: [...] }` / `{ error, incompleteActions: [...] }`; 403 for anyone but the meeting's
 * coordinator. Closing again answers with the same version. The body is optional (older clients send none).
 */
export const POST: RequestHandler = async ({ params, request, locals }) => {
	try {
		const raw = await request.text();
		const input =
			raw.trim() === '' ? v.parse(CloseRequest, {}) : await readJson(new Request(request.url, { method: 'POST', body: raw }), CloseRequest);
		const access = locals.app.participation.access(locals.principal, params.id);
		const version = await locals.app.closing.close(access, locals.principal, input);
		return json({ version: version.version, hash: version.hash, closedAt: version.closedAt });
	} catch (cause) {
		return apiError(cause);
	}
};
