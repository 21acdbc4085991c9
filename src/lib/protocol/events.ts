/**
 * The socket.io event maps, written once for both ends of the wire (STYLE.md habit 3).
 * The server validates every inbound payload; these types only describe the shape.
 * A public contract (docs/api.md): add events and fields, never rename.
 */
import type { Phase, RoomState } from './agenda';

/** Acknowledgement of a client request: either ok, or an error with a code and a message. */
export type Ack<T = object> = ({ ok: true } & T) | { ok: false; error: { code: string; message: string } };

export interface MeetingPresence {
	meetingId: string;
	/** How many socket.io connections are in the meeting right now. */
	online: number;
}

type Reply<T = object> = (result: Ack<T>) => void;

export interface ClientToServerEvents {
	/** Join the live channel of a meeting; the answer carries the room's whole state. */
	'meeting:join': (payload: { meetingId: string }, ack: Reply<{ presence: MeetingPresence; state: RoomState }>) => void;
	'meeting:leave': (payload: { meetingId: string }) => void;
	/** The coordinator moves the agenda. */
	'room:phase': (payload: { meetingId: string; phase: Phase }, ack: Reply) => void;
	/** Raise or lower your own hand. */
	'room:hand': (payload: { meetingId: string; raised: boolean }, ack: Reply) => void;
	/** The coordinator lowers someone's hand. */
	'room:lower-hand': (payload: { meetingId: string; participantId: string }, ack: Reply) => void;
	/** The coordinator gives the turn (null ends it). */
	'room:turn': (payload: { meetingId: string; participantId: string | null }, ack: Reply) => void;
	'room:clear-hands': (payload: { meetingId: string }, ack: Reply) => void;
	/**
	 * The server's Yjs snapshot (state vector and delete set, `Y.encodeSnapshot`) of the meeting's
	 * document, so a client can tell which of its changes the server has stored.
	 */
	'doc:snapshot': (payload: { meetingId: string }, ack: Reply<{ snapshot: Uint8Array | null }>) => void;
}

export interface ServerToClientEvents {
	'meeting:presence': (presence: MeetingPresence) => void;
	/** The room's whole state, after any change of phase, hands, turn or who is online. */
	'room:state': (state: RoomState) => void;
	/**
	 * Sent just before the server disconnects the socket for good, with the Yjs endpoint's close code
	 * (docs/close-codes.md): 4440 the session ended (signed out, expired, invitation link replaced),
	 * 4403 access revoked or account disabled. Do not reconnect; sign in again.
	 */
	'connection:closed': (closed: { code: number; reason: string }) => void;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface InterServerEvents {}

export interface SocketData {
	connectionId: string;
	/** Who is on the other end: resolved by the server at the handshake (server/policy.ts). */
	principal: import('../../../server/policy.js').Principal;
	/** The participant this socket is in each joined meeting. */
	participants: Map<string, string>;
}
