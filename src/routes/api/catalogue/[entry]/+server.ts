import { json } from '@sveltejs/kit';
import { CatalogueBody } from '$lib/protocol/catalogue';
import { apiError, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** `PUT /api/catalogue/:entry` → 200 the entry. Coordinators only. */
export const PUT: RequestHandler = async ({ params, request, locals }) => {
	try {
		return json(locals.app.catalogue.update(locals.principal, params.entry, await readJson(request, CatalogueBody)));
	} catch (cause) {
		return apiError(cause);
	}
};

/** `DELETE /api/catalogue/:entry` → 204. Coordinators only. */
export const DELETE: RequestHandler = ({ params, locals }) => {
	try {
		locals.app.catalogue.remove(locals.principal, params.entry);
		return new Response(null, { status: 204 });
	} catch (cause) {
		return apiError(cause);
	}
};
