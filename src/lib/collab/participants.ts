import type { Access, ParticipantRole, Presence } from '$lib/protocol/participants';

/** A participant as the room shows them (from the server's records, never from awareness claims). */
export interface RoomParticipant {
	id: string;
	name: string;
	role: ParticipantRole;
	organisation: string;
	presence: Presence;
	access: Access;
}
