import { loadRefusal, signInFirst } from '$lib/server/navigation';
import type { PageServerLoad } from './$types';

/**
 * A meeting's audit trail, for its coordinators, so that it can be shown to the client on request
 * (the Client Data Act gives clients the right to know who accessed their data).
 */
export const load: PageServerLoad = ({ params, locals, url }) => {
	if (locals.principal.kind === 'anonymous') signInFirst(url);
	const { participation, meetings } = locals.app;
	try {
		const events = participation.auditTrail(locals.principal, params.id);
		const meeting = meetings.get(params.id)!;
		// Events name participants by id; the page shows their names.
		const names = Object.fromEntries(participation.participants(locals.principal, params.id).map((p) => [p.id, p.name]));
		return {
			meeting: { id: meeting.id, title: meeting.title },
			names,
			// Newest first: the question is usually "who looked at it lately".
			events: events.reverse().map((event) => ({
				id: event.id,
				at: event.at,
				action: event.action,
				actorName: event.actorName,
				actorParticipantId: event.actorParticipantId,
				actorIsAccount: event.actorUserId !== null,
				sessionRef: event.sessionRef,
				detail: event.detail
			}))
		};
	} catch (cause) {
		loadRefusal(cause, url);
	}
};
