import { json } from '@sveltejs/kit';
import { CatalogueBody } from '$lib/protocol/catalogue';
import { apiError, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** `GET /api/catalogue` → the regional service catalogue. Anyone signed in. */
export const GET: RequestHandler = ({ locals }) => {
	try {
		return json({ services: locals.app.catalogue.list(locals.principal) });
	} catch (cause) {
		return apiError(cause);
	}
};

/** `POST /api/catalogue` → 201 the new entry. Coordinators only. */
export const POST: RequestHandler = async ({ request, locals }) => {
	try {
		return json(locals.app.catalogue.add(locals.principal, await readJson(request, CatalogueBody)), { status: 201 });
	} catch (cause) {
		return apiError(cause);
	}
};
