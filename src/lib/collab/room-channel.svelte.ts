import { io, type Socket } from 'socket.io-client';
import type { Phase, RoomState } from '$lib/protocol/agenda';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '$lib/protocol/events';
import { CloseCode } from '$lib/protocol/close-codes';
import { onComeBack } from './come-back';

type RoomSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type TimedSocket = ReturnType<RoomSocket['timeout']>;

/** How long an action waits for the server's acknowledgement. */
const actionTimeoutMs = 10_000;

/**
 * The application heartbeat (issue #21, item 6): a `connection:heartbeat` every second, and the
 * server counts as unreachable when one goes unanswered for 2 s, so a cut network shows within 3 s.
 * socket.io's own ping would take up to 45 s (25 s interval + 20 s timeout).
 */
export const heartbeatIntervalMs = 1000;
export const heartbeatTimeoutMs = 2000;

/** A refused or failed room action, with the server's code and message. */
export class RoomActionError extends Error {
	constructor(
		readonly code: string,
		message: string
	) {
		super(message);
		this.name = 'RoomActionError';
	}
}

/**
 * The browser's socket.io channel to one meeting: the room's decisions (phase, hands, turn, who is
 * online) arrive whole on every change; actions are acknowledged by the server. Create it in the
 * browser only and `destroy()` it when leaving.
 */
export class RoomChannel {
	readonly meetingId: string;
	#socket: RoomSocket;
	#state = $state.raw<RoomState | null>(null);
	#connected = $state(false);
	#refused = $state<string | null>(null);
	#reachable = $state(true);
	#beating = false;
	readonly #heartbeat: ReturnType<typeof setInterval>;
	readonly #onLost: Array<() => void> = [];
	readonly #stopListening: () => void;

	constructor(meetingId: string) {
		this.meetingId = meetingId;
		this.#socket = io({ path: '/socket.io', transports: ['websocket', 'polling'], withCredentials: true });
		this.#socket.on('connect', () => {
			this.#connected = true;
			this.#reachable = true;
			// Join again after every reconnect: the server forgets rooms with the connection.
			this.#socket.emit('meeting:join', { meetingId }, (result) => {
				if (!result.ok) {
					this.#refused = result.error.code;
					return;
				}
				this.#state = result.state;
			});
		});
		this.#socket.on('disconnect', () => {
			this.#connected = false;
			this.#lost();
		});
		this.#heartbeat = setInterval(() => this.#beat(), heartbeatIntervalMs);
		// The server ended this connection for good (session ended, access revoked): do not come back.
		this.#socket.on('connection:closed', ({ code }) => {
			this.#refused = code === CloseCode.SessionEnded ? 'session_ended' : 'forbidden';
		});
		this.#socket.on('room:state', (state) => {
			if (state.meetingId === meetingId) this.#state = state;
		});
		this.#stopListening = onComeBack(() => this.#reconnectNow());
	}

	/** The room's state; null until the first answer. */
	get state(): RoomState | null {
		return this.#state;
	}

	get connected(): boolean {
		return this.#connected;
	}

	/** False from the moment a heartbeat goes unanswered (or the socket drops) until the server answers again. */
	get reachable(): boolean {
		return this.#reachable;
	}

	/** Calls `listener` each time the server stops answering (the Yjs websocket should redial then). */
	onLost(listener: () => void): void {
		this.#onLost.push(listener);
	}

	/** The server's refusal code when joining failed (e.g. `forbidden`), or `session_ended`. */
	get refused(): string | null {
		return this.#refused;
	}

	setPhase(phase: Phase): Promise<void> {
		return this.#call((socket, ack) => socket.emit('room:phase', { meetingId: this.meetingId, phase }, ack));
	}

	setHand(raised: boolean): Promise<void> {
		return this.#call((socket, ack) => socket.emit('room:hand', { meetingId: this.meetingId, raised }, ack));
	}

	lowerHand(participantId: string): Promise<void> {
		return this.#call((socket, ack) => socket.emit('room:lower-hand', { meetingId: this.meetingId, participantId }, ack));
	}

	giveTurn(participantId: string | null): Promise<void> {
		return this.#call((socket, ack) => socket.emit('room:turn', { meetingId: this.meetingId, participantId }, ack));
	}

	clearHands(): Promise<void> {
		return this.#call((socket, ack) => socket.emit('room:clear-hands', { meetingId: this.meetingId }, ack));
	}

	/** "Write for <name>": the goals this writer now creates are for that participant (null: for no one). Needs `writeOnBehalf`. */
	writeFor(participantId: string | null): Promise<void> {
		return this.#call((socket, ack) => socket.emit('scribe:writing-for', { meetingId: this.meetingId, participantId }, ack));
	}

	/** Pins a phase's work to the room screen for a while (null releases it); coordinator only. */
	pinScreen(section: Phase | null): Promise<void> {
		return this.#call((socket, ack) => socket.emit('room:pin-screen', { meetingId: this.meetingId, section }, ack));
	}

	/** The server's Yjs snapshot of the document (null when it is not loaded). */
	snapshot(): Promise<Uint8Array | null> {
		return new Promise((resolve, reject) => {
			if (!this.#socket.connected) return reject(new RoomActionError('offline', 'Not connected.'));
			this.#socket.timeout(actionTimeoutMs).emit('doc:snapshot', { meetingId: this.meetingId }, (error, result) => {
				if (error) return reject(new RoomActionError('timeout', 'The server did not answer.'));
				if (!result.ok) return reject(new RoomActionError(result.error.code, result.error.message));
				resolve(result.snapshot ? new Uint8Array(result.snapshot) : null);
			});
		});
	}

	destroy(): void {
		clearInterval(this.#heartbeat);
		this.#stopListening();
		this.#socket.disconnect();
	}

	#beat(): void {
		// One heartbeat at a time: a slow answer is not piled upon.
		if (this.#beating || !this.#socket.connected || this.#refused) return;
		this.#beating = true;
		this.#socket.timeout(heartbeatTimeoutMs).emit('connection:heartbeat', {}, (error) => {
			this.#beating = false;
			// Any answer (even a refusal such as rate_limited) means the server is there.
			if (!error) {
				this.#reachable = true;
				return;
			}
			this.#lost();
			// The socket has not noticed the network is gone (socket.io would take up to 45 s): dial
			// again, so it comes back as soon as the network does.
			this.#reconnectNow(true);
		});
	}

	#lost(): void {
		if (!this.#reachable) return;
		this.#reachable = false;
		// The server ended this connection for good (`connection:closed` came first): not a network
		// fault, so nothing redials; a redial would drop the Yjs websocket's own 4440 before it arrives
		// and replace "your session ended" with the refusal of a session-less attempt.
		if (this.#refused) return;
		for (const listener of this.#onLost) listener();
	}

	/**
	 * Connects now (see `onComeBack`). A restart also drops an attempt that hangs: socket.io waits 20 s
	 * for an attempt that closes before it opens without an error event, which a cut network can produce.
	 */
	#reconnectNow(evenIfConnected = false): void {
		if ((this.#socket.connected && !evenIfConnected) || this.#refused) return;
		this.#socket.disconnect().connect();
	}

	/**
	 * Sends one action and settles with the server's acknowledgement. Without one within 10 s, or when
	 * the connection drops before it comes (socket.io then fails the pending acknowledgements at once),
	 * it fails as `timeout`, so the page can say so instead of waiting for ever; the action may still
	 * have been done, and the room's state shows whether it was.
	 */
	#call(send: (socket: TimedSocket, ack: (error: Error | null, result: Ack) => void) => void): Promise<void> {
		return new Promise((resolve, reject) => {
			if (!this.#socket.connected) return reject(new RoomActionError('offline', 'Not connected.'));
			send(this.#socket.timeout(actionTimeoutMs), (error, result) => {
				if (error) reject(new RoomActionError('timeout', 'The server did not answer.'));
				else if (result.ok) resolve();
				else reject(new RoomActionError(result.error.code, result.error.message));
			});
		});
	}
}
