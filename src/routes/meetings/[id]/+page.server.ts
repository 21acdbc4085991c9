import { loadRoom } from '$lib/server/room';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadRoom(event);
