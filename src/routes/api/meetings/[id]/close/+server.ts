import { json } from '@sveltejs/kit';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** `GET /api/meetings/:id/close` → `{ closed, missing }`: the closing checklist. Any participant. */
export const GET: RequestHandler = async ({ params, locals }) => {
	try {
		locals.app.participation.access(locals.principal, params.id);
		const version = locals.app.closing.version(params.id);
		return json({
			closed: version !== null,
			missing: version ? [] : await locals.app.closing.checklist(params.id),
			version: version && { version: version.version, hash: version.hash, closedAt: version.closedAt }
		});
	} catch (cause) {
		return apiError(cause);
	}
};

/**
 * `POST /api/meetings/:id/close` → 200 `{ version, hash }`, or 409 `{ error, missing: [...] }`;
 * 403 for anyone but the meeting's coordinator. Closing again answers with the same version.
 */
export const POST: RequestHandler = async ({ params, locals }) => {
	try {
		const access = locals.app.participation.access(locals.principal, params.id);
		const version = await locals.app.closing.close(access, locals.principal);
		return json({ version: version.version, hash: version.hash, closedAt: version.closedAt });
	} catch (cause) {
		return apiError(cause);
	}
};
