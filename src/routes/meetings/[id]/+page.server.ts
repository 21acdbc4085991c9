import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals }) => {
	const meeting = locals.app.meetings.get(params.id);
	if (!meeting) error(404, { message: 'Meeting not found' });
	return { meeting: { id: meeting.id, title: meeting.title } };
};
