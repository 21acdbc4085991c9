import type { Access, ParticipantRole, Presence } from '$lib/protocol/participants';

/** A participant as the room shows them (from the server's records, never from awareness claims). */
export interface RoomParticipant {
	id: string;
	/** The coordinator's record of the name: what everyone sees. */
	name: string;
	/** The name a guest chose when joining, shown beside `name` (never instead): `participantName`. */
	chosenName?: string | null;
	role: ParticipantRole;
	organisation: string;
	presence: Presence;
	access: Access;
}
