/**
 * The socket.io event maps, written once for both ends of the wire (STYLE.md habit 3).
 * The server validates every inbound payload; these types only describe the shape.
 */

/** Acknowledgement of a client request: either ok, or an error with a code and a message. */
export type Ack<T = object> =
	| ({ ok: true } & T)
	| { ok: false; error: { code: string; message: string } };

export interface MeetingPresence {
	meetingId: string;
	/** How many socket.io connections are in the meeting right now. */
	online: number;
}

export interface ClientToServerEvents {
	/** Join the live channel of a meeting. */
	'meeting:join': (payload: { meetingId: string }, ack: (result: Ack<{ presence: MeetingPresence }>) => void) => void;
	'meeting:leave': (payload: { meetingId: string }) => void;
}

export interface ServerToClientEvents {
	'meeting:presence': (presence: MeetingPresence) => void;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface InterServerEvents {}

export interface SocketData {
	connectionId: string;
	/** Who is on the other end: resolved by the server at the handshake (server/policy.ts). */
	principal: import('../../../server/policy.js').Principal;
}
