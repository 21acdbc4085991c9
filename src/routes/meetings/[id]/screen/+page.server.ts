import { loadRoom } from '$lib/server/room';
import type { PageServerLoad } from './$types';

/** The room screen: the same participants, the same authorization as the room page. */
export const load: PageServerLoad = (event) => loadRoom(event);
