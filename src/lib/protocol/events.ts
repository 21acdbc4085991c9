/**
 * The socket.io event maps, written once for both ends of the wire (STYLE.md habit 3): each
 * client-to-server payload is a valibot schema (`eventPayloads`) that the server parses before it
 * acts, and the event map's payload types are inferred from the same schemas, so the two cannot drift.
 * A public contract (docs/api.md): add events and fields, never rename.
 */
import * as v from 'valibot';
import { phases, type RoomState } from './agenda.js';
import { meetingIdPattern } from './yjs-messages.js';

const meetingId = v.pipe(v.string(), v.maxLength(64), v.regex(meetingIdPattern));
const participantId = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const meeting = v.object({ meetingId });

/** What each client-to-server event carries; the server refuses anything else with `invalid_payload`. */
export const eventPayloads = {
	'meeting:join': meeting,
	'meeting:leave': meeting,
	'room:phase': v.object({ meetingId, phase: v.picklist(phases) }),
	'room:hand': v.object({ meetingId, raised: v.boolean() }),
	'room:lower-hand': v.object({ meetingId, participantId }),
	'room:turn': v.object({ meetingId, participantId: v.nullable(participantId) }),
	'room:clear-hands': meeting,
	/** Pin a phase's work to the room screen for a while; `section: null` releases the pin. */
	'room:pin-screen': v.object({ meetingId, section: v.nullable(v.picklist(phases)) }),
	'doc:snapshot': meeting,
	// No fields: the heartbeat is answered the same for everyone (issue #21, item 6).
	'connection:heartbeat': v.object({}),
	/** The coordinator or a scribe writes the goals they now create for `participantId` (null: for no one). */
	'scribe:writing-for': v.object({ meetingId, participantId: v.nullable(participantId) })
} as const;

/** The payload a client sends with an event (what the schema accepts). */
export type EventPayload<E extends keyof typeof eventPayloads> = v.InferInput<(typeof eventPayloads)[E]>;

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
	'meeting:join': (payload: EventPayload<'meeting:join'>, ack: Reply<{ presence: MeetingPresence; state: RoomState }>) => void;
	'meeting:leave': (payload: EventPayload<'meeting:leave'>) => void;
	/** The coordinator moves the agenda. */
	'room:phase': (payload: EventPayload<'room:phase'>, ack: Reply) => void;
	/** Raise or lower your own hand. */
	'room:hand': (payload: EventPayload<'room:hand'>, ack: Reply) => void;
	/** The coordinator lowers someone's hand. */
	'room:lower-hand': (payload: EventPayload<'room:lower-hand'>, ack: Reply) => void;
	/** The coordinator gives the turn (null ends it). */
	'room:turn': (payload: EventPayload<'room:turn'>, ack: Reply) => void;
	'room:clear-hands': (payload: EventPayload<'room:clear-hands'>, ack: Reply) => void;
	/** The coordinator pins a section to the room screen (null releases it); see docs/room-screen.md. */
	'room:pin-screen': (payload: EventPayload<'room:pin-screen'>, ack: Reply) => void;
	/**
	 * The server's Yjs snapshot (state vector and delete set, `Y.encodeSnapshot`) of the meeting's
	 * document, so a client can tell which of its changes the server has stored.
	 */
	'doc:snapshot': (payload: EventPayload<'doc:snapshot'>, ack: Reply<{ snapshot: Uint8Array | null }>) => void;
	/**
	 * The application heartbeat: the page sends it about once a second and counts the server as
	 * unreachable when no answer comes within about 2 s, so a cut network shows within 3 s instead of
	 * after socket.io's own 45 s ping timeout. Answered `{ ok: true }`; rate-limited like any event.
	 */
	'connection:heartbeat': (payload: EventPayload<'connection:heartbeat'>, ack: Reply) => void;
	/** "Write for <name>" for goals (issue #21 item 2): needs `writeOnBehalf`; kept per connection. */
	'scribe:writing-for': (payload: EventPayload<'scribe:writing-for'>, ack: Reply) => void;
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
