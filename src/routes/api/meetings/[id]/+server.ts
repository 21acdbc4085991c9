import { json } from '@sveltejs/kit';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** `GET /api/meetings/:id` → the meeting, its participants and the caller's own access. */
export const GET: RequestHandler = ({ params, locals }) => {
	try {
		const { meeting, access } = locals.app.participation.view(locals.principal, params.id, 'api');
		const participants = locals.app.participation.participants(locals.principal, params.id);
		return json({
			id: meeting.id,
			title: meeting.title,
			scheduledAt: meeting.scheduledAt,
			place: meeting.place,
			remoteLink: meeting.remoteLink,
			language: meeting.language,
			you: { participantId: access.participant.id, canEdit: access.canEdit, canDecide: access.canDecide, abilities: access.abilities },
			participants: participants
				.filter((p) => !p.revoked)
				.map(({ id, name, chosenName, role, organisation, presence, access }) => ({ id, name, chosenName, role, organisation, presence, access }))
		});
	} catch (cause) {
		return apiError(cause);
	}
};

/** `DELETE /api/meetings/:id` → 204: deletes the meeting's content now. The meeting's coordinator. */
export const DELETE: RequestHandler = async ({ params, locals }) => {
	try {
		locals.app.policy.require(locals.app.participation.access(locals.principal, params.id), 'deleteMeeting');
		await locals.app.closing.delete(params.id, locals.principal, 'coordinator');
		return new Response(null, { status: 204 });
	} catch (cause) {
		return apiError(cause);
	}
};
