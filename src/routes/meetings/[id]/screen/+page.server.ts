import { loadRoom } from '$lib/server/room';
import type { PageServerLoad } from './$types';

/**
 * The room screen: the same participants, the same authorization as the room page. `bare`: the
 * screen is a shared display, so the root layout leaves out the account header (docs/room-screen.md).
 */
export const load: PageServerLoad = (event) => ({ ...loadRoom(event), bare: true as const });
