import type { ServerLoadEvent } from '@sveltejs/kit';
import { loadRefusal, signInFirst } from '$lib/server/navigation';

/**
 * What the room page and the room screen load: only the meeting's (non-revoked) participants get in,
 * by the one policy (issue #3). Anonymous visitors sign in first; anyone else who is not a
 * participant gets 403, an unknown meeting 404. Opening the room is recorded in the audit trail.
 */
export function loadRoom({ params, locals, url }: Pick<ServerLoadEvent<{ id: string }>, 'params' | 'locals' | 'url'>) {
	// Before looking the meeting up, so that an anonymous visitor cannot probe which ids exist.
	if (locals.principal.kind === 'anonymous') signInFirst(url);
	try {
		const { meeting, access } = locals.app.participation.view(locals.principal, params.id, 'page');
		return {
			meeting: {
				id: meeting.id,
				title: meeting.title,
				scheduledAt: meeting.scheduledAt,
				place: meeting.place,
				remoteLink: meeting.remoteLink,
				language: meeting.language
			},
			participants: locals.app.participation
				.participants(locals.principal, params.id)
				.filter((p) => !p.revoked)
				.map(({ id, name, chosenName, role, organisation, presence, access }) => ({ id, name, chosenName, role, organisation, presence, access })),
			room: locals.app.decisions(params.id),
			/** At a follow-up meeting: the previous meeting's consent scope, shown while the client is asked again. */
			previousConsent: locals.app.consents.previous(params.id)?.organisations ?? null,
			you: {
				id: access.participant.id,
				name: access.participant.name,
				role: access.participant.role,
				canEdit: access.canEdit,
				canDecide: access.canDecide
			},
			/** What you may do here now, from the one Policy: the page shows its controls by these. */
			abilities: access.abilities
		};
	} catch (cause) {
		return loadRefusal(cause, url);
	}
}
