import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const principal = locals.principal;
	if (principal.kind === 'anonymous') return { meetings: null, coordinator: false };
	// A guest's session opens exactly one meeting: take them there.
	if (principal.kind === 'guest') redirect(303, `/meetings/${principal.meetingId}`);
	const { participation, policy } = locals.app;
	const meetings = participation.list(principal).map((meeting) => ({
		id: meeting.id,
		title: meeting.title,
		scheduledAt: meeting.scheduledAt,
		place: meeting.place,
		// The participants page: adding people while open, removing them also once closed.
		participantsPage: ((abilities) => abilities.manageParticipants || abilities.revokeParticipant)(participation.access(principal, meeting.id).abilities)
	}));
	return { meetings, coordinator: policy.isCoordinatorAccount(principal) };
};
