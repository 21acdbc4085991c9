import { json } from '@sveltejs/kit';
import { NewMeeting } from '$lib/protocol/participants';
import { apiError, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** `POST /api/meetings` → 201 `{ id }`. Coordinator accounts only. */
export const POST: RequestHandler = async ({ request, locals }) => {
	try {
		const input = await readJson(request, NewMeeting);
		const meeting = locals.app.participation.create(locals.principal, input);
		return json({ id: meeting.id }, { status: 201, headers: { location: `/api/meetings/${meeting.id}` } });
	} catch (cause) {
		return apiError(cause);
	}
};

/** `GET /api/meetings` → the meetings the caller takes part in. */
export const GET: RequestHandler = ({ locals }) => {
	try {
		const meetings = locals.app.participation.list(locals.principal);
		return json({ meetings: meetings.map(({ id, title, scheduledAt }) => ({ id, title, scheduledAt })) });
	} catch (cause) {
		return apiError(cause);
	}
};
