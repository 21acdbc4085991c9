import { json } from '@sveltejs/kit';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** `GET /api/meetings/:id/audit` → the meeting's audit trail. The meeting's coordinators only. */
export const GET: RequestHandler = ({ params, locals }) => {
	try {
		return json({ events: locals.app.participation.auditTrail(locals.principal, params.id) });
	} catch (cause) {
		return apiError(cause);
	}
};
