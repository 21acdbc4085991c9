import { loadRoom } from '$lib/server/room';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const room = loadRoom(event);
	return {
		...room,
		/**
		 * The client's own words for the client's calm view, rendered into its words field so that a
		 * slow phone shows them and takes typing before the page's scripts and the live document arrive
		 * (docs/performance.md). Only the client's page carries them; null when the document could not
		 * be read now (the field then waits for the live document, which says why).
		 */
		clientWords: room.you.role === 'client' ? await event.locals.app.clientWords(room.meeting.id).catch(() => null) : null
	};
};
