import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Server as Engine } from 'engine.io';
import { Server, type Socket } from 'socket.io';
import * as v from 'valibot';
import type { RoomState } from '../../src/lib/protocol/agenda.js';
import {
	eventPayloads,
	type Ack,
	type ClientToServerEvents,
	type InterServerEvents,
	type MeetingPresence,
	type ServerToClientEvents,
	type SocketData
} from '../../src/lib/protocol/events.js';
import type { Closable, LiveConnections } from '../connections.js';
import type { AppEvents } from '../events.js';
import { DomainError } from '../errors.js';
import type { Logger } from '../log.js';
import type { OriginPolicy } from '../origins.js';
import type { AccessVerdict, MeetingAccess, Principal } from '../policy.js';
import type { Room } from '../room.js';
import { isStorageFull } from '../db/database.js';
import { TokenBucket } from '../rate-limit.js';
import type { Scribes } from '../scribes.js';

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;


const roomOf = (id: string) => `meeting:${id}`;

const refusalMessages = {
	unauthenticated: 'Sign in first.',
	not_found: 'No such meeting.',
	forbidden: 'You do not have access to this meeting.'
} as const;

export interface RealtimeOptions {
	log: Logger;
	/** Listened to: a changed room state is sent to the meeting, a deleted meeting's sockets closed. */
	events: AppEvents;
	connections: LiveConnections;
	room: Room;
	/** The scribe's "write for" mode for goals (server/scribes.ts), kept per socket. */
	scribes?: Pick<Scribes, 'setWritingFor' | 'connectionClosed'>;
	/** The meeting's decisions (phase, hands, turn, responsible worker…) for the room state. */
	decisions(meetingId: string): Omit<RoomState, 'meetingId' | 'online'>;
	principalOf(cookieHeader: string | undefined): Promise<Principal>;
	/** Browser origins allowed at the handshake (server/origins.ts); none checked when absent. */
	origins?: OriginPolicy;
	/** The one Policy's verdict for a principal and a meeting. */
	access(principal: Principal, meetingId: string): AccessVerdict;
	/** The server's Yjs snapshot of a loaded document, or null when it is not loaded. */
	documentSnapshot(meetingId: string): Promise<Uint8Array | null>;
	onConnectionCountChange?(count: number): void;
	/** A socket joined a meeting (once per socket and meeting) and left it (or disconnected): the audit trail. */
	onJoin?(principal: Principal, meetingId: string, participantId: string): void;
	onLeave?(principal: Principal, meetingId: string, participantId: string): void;
	/** A read of the meeting's content over socket.io (`view`: what was read), for the audit trail. */
	onRead?(principal: Principal, meetingId: string, participantId: string, view: string): void;
	/** Events a socket may send a second (sustained), and at once. */
	limits?: { eventsPerSecond: number; eventBurst: number };
}

const defaultLimits = { eventsPerSecond: 20, eventBurst: 60 };

/**
 * socket.io for decisions and presence (DESIGN.md: content travels over Yjs, decisions over socket.io).
 * It runs on an engine.io server that is not attached to any HTTP server: the app's request and
 * upgrade routers hand it exactly the traffic under /socket.io/. Who is asking is resolved once, at
 * the handshake, from the session cookie; every meeting event is authorized by the Policy again.
 */
export function createRealtime(options: RealtimeOptions): { io: RealtimeServer; engine: Engine } {
	// The handshake's principal, resolved once in allowRequest and read by the middleware below.
	const handshakes = new WeakMap<IncomingMessage, Principal>();
	const engine = new Engine({
		maxHttpBufferSize: 64 * 1024,
		// Refused at the handshake, before any engine.io connection exists: a foreign Origin, and any
		// request without a valid session (300 anonymous connections stayed open before; issue 20,
		// item 3). engine.io answers 403 `{"code":4,"message":…}` (polling) or 400 (websocket).
		allowRequest: (req, callback) => {
			if (options.origins && !options.origins.allows(req.headers.origin, req.headers.host)) {
				callback('forbidden origin', false);
				return;
			}
			options.principalOf(req.headers.cookie).then(
				(principal) => {
					if (principal.kind === 'anonymous') return callback('unauthenticated', false);
					handshakes.set(req, principal);
					callback(null, true);
				},
				(error: unknown) => {
					options.log.error({ err: error }, 'socket.io handshake failed');
					callback('internal error', false);
				}
			);
		}
	});
	const io: RealtimeServer = new Server({ path: '/socket.io', serveClient: false });
	io.bind(engine);

	const presenceOf = (id: string): MeetingPresence => ({ meetingId: id, online: io.sockets.adapter.rooms.get(roomOf(id))?.size ?? 0 });

	const stateOf = (id: string, leaving?: RealtimeSocket): RoomState => {
		const online = new Set<string>();
		for (const socketId of io.sockets.adapter.rooms.get(roomOf(id)) ?? []) {
			const socket = io.sockets.sockets.get(socketId);
			const participant = socket && socket !== leaving ? socket.data.participants.get(id) : null;
			if (participant) online.add(participant);
		}
		return { meetingId: id, ...options.decisions(id), online: [...online] };
	};

	const broadcastState = (id: string, leaving?: RealtimeSocket) => {
		io.to(roomOf(id)).emit('room:state', stateOf(id, leaving));
	};

	io.use((socket, next) => {
		socket.data.connectionId = randomUUID();
		socket.data.participants = new Map();
		const principal = handshakes.get(socket.request);
		if (principal) {
			socket.data.principal = principal;
			next();
			return;
		}
		options.principalOf(socket.request.headers.cookie).then(
			(principal) => {
				socket.data.principal = principal;
				next();
			},
			(error: unknown) => {
				options.log.error({ err: error }, 'socket.io handshake failed');
				next(new Error('internal error'));
			}
		);
	});

	io.on('connection', (socket) => {
		const log = options.log.child({ channel: 'socket.io', connectionId: socket.data.connectionId });
		options.onConnectionCountChange?.(io.sockets.sockets.size);
		const unregister: Array<() => void> = [];
		// Says why before it disconnects (engine.io sends what is queued before it closes): the same
		// codes as the Yjs endpoint, so the page can tell the person to sign in again (docs/api.md).
		const closable: Closable = {
			close: (code, reason) => {
				if (socket.connected) socket.emit('connection:closed', { code, reason });
				socket.disconnect(true);
			}
		};
		// The principal was resolved once, at the handshake: a socket that has joined no meeting yet
		// must also close when its account is disabled, its guest revoked or its session ended, or it
		// could still join one with the stale principal (tests/integration/access-live.test.ts).
		const { principal } = socket.data;
		if (principal.kind === 'account') {
			unregister.push(options.connections.add(closable, { userId: principal.userId, sessionId: principal.sessionId }));
		}
		if (principal.kind === 'guest') {
			unregister.push(options.connections.add(closable, { participantId: principal.participantId, sessionId: principal.sessionId }));
		}

		// Every event costs a policy check and most a write and a broadcast to the room: a token bucket
		// per socket. Over it, an event is refused in its ack; a socket that goes on regardless (a
		// whole burst refused in a row) is disconnected (tests/integration/faults.test.ts).
		const limits = options.limits ?? defaultLimits;
		const bucket = new TokenBucket(limits.eventsPerSecond, limits.eventBurst);
		let refusedInARow = 0;
		socket.use((packet, next) => {
			if (bucket.take()) {
				refusedInARow = 0;
				next();
				return;
			}
			const ack = packet.at(-1);
			if (typeof ack === 'function') {
				(ack as (result: Ack) => void)({ ok: false, error: { code: 'rate_limited', message: 'Too many requests. Wait a moment and try again.' } });
			}
			if (++refusedInARow === 1) log.warn({ event: String(packet[0]) }, 'socket.io event over the rate limit');
			if (refusedInARow === limits.eventBurst + 1) {
				log.warn({ refused: refusedInARow }, 'disconnecting a socket that keeps sending over its rate limit');
				socket.disconnect(true);
			}
		});

		/** Validates the payload and authorizes the meeting; answers the refusal itself. */
		function authorized<S extends v.GenericSchema<unknown, { meetingId: string }>>(
			schema: S,
			payload: unknown,
			ack: unknown
		): { input: v.InferOutput<S>; access: MeetingAccess; reply: (result: Ack) => void } | null {
			if (typeof ack !== 'function') return null;
			const reply = ack as (result: Ack) => void;
			const parsed = v.safeParse(schema, payload);
			if (!parsed.success) {
				reply({ ok: false, error: { code: 'invalid_payload', message: parsed.issues[0]?.message ?? 'invalid payload' } });
				return null;
			}
			const verdict = options.access(socket.data.principal, parsed.output.meetingId);
			if (!verdict.ok) {
				reply({ ok: false, error: { code: verdict.reason, message: refusalMessages[verdict.reason] } });
				return null;
			}
			return { input: parsed.output, access: verdict.access, reply };
		}

		/**
		 * Runs a room decision; a DomainError becomes the ack's error. Any other failure (a full disk
		 * refusing the write, for one) is logged and answered too: thrown from an event listener it
		 * would be an uncaught exception that ends the process (tests/integration/faults.test.ts).
		 */
		function decide(reply: (result: Ack) => void, work: () => void): void {
			try {
				work();
				reply({ ok: true });
			} catch (error) {
				if (error instanceof DomainError) {
					reply({ ok: false, error: { code: error.code, message: error.message } });
					return;
				}
				const full = isStorageFull(error);
				log.error({ err: error }, full ? 'storage is full: a room decision was not recorded' : 'a room decision failed');
				reply({
					ok: false,
					error: full
						? { code: 'storage_full', message: 'The server could not record this: its storage is full. Try again later.' }
						: { code: 'internal_error', message: 'The server could not record this. Try again.' }
				});
			}
		}

		socket.on('meeting:join', (payload, ack) => {
			if (typeof ack !== 'function') return;
			const parsed = v.safeParse(eventPayloads['meeting:join'], payload);
			if (!parsed.success) {
				ack({ ok: false, error: { code: 'invalid_payload', message: 'meetingId must be a meeting id' } });
				return;
			}
			const id = parsed.output.meetingId;
			const verdict = options.access(socket.data.principal, id);
			if (!verdict.ok) {
				ack({ ok: false, error: { code: verdict.reason, message: refusalMessages[verdict.reason] } });
				return;
			}
			const { participant } = verdict.access;
			if (!socket.data.participants.has(id)) {
				unregister.push(options.connections.add(closable, { participantId: participant.id, userId: participant.userId }));
				socket.data.participants.set(id, participant.id);
				void socket.join(roomOf(id));
				options.onJoin?.(socket.data.principal, id, participant.id);
			}
			ack({ ok: true, presence: presenceOf(id), state: stateOf(id) });
			socket.to(roomOf(id)).emit('meeting:presence', presenceOf(id));
			broadcastState(id);
			log.debug({ meetingId: id }, 'joined meeting');
		});

		socket.on('meeting:leave', (payload) => {
			const parsed = v.safeParse(eventPayloads['meeting:leave'], payload);
			if (!parsed.success || !socket.data.participants.has(parsed.output.meetingId)) return;
			const id = parsed.output.meetingId;
			options.onLeave?.(socket.data.principal, id, socket.data.participants.get(id)!);
			socket.data.participants.delete(id);
			void socket.leave(roomOf(id));
			io.to(roomOf(id)).emit('meeting:presence', presenceOf(id));
			broadcastState(id);
		});

		socket.on('room:phase', (payload, ack) => {
			const call = authorized(eventPayloads['room:phase'], payload, ack);
			if (call) decide(call.reply, () => options.room.setPhase(call.access, call.input.phase));
		});
		socket.on('room:hand', (payload, ack) => {
			const call = authorized(eventPayloads['room:hand'], payload, ack);
			if (call) {
				decide(call.reply, () =>
					call.input.raised ? options.room.raiseHand(call.access) : options.room.lowerHand(call.access)
				);
			}
		});
		socket.on('room:lower-hand', (payload, ack) => {
			const call = authorized(eventPayloads['room:lower-hand'], payload, ack);
			if (call) decide(call.reply, () => options.room.lowerHand(call.access, call.input.participantId));
		});
		socket.on('room:turn', (payload, ack) => {
			const call = authorized(eventPayloads['room:turn'], payload, ack);
			if (call) decide(call.reply, () => options.room.giveTurn(call.access, call.input.participantId));
		});
		socket.on('room:clear-hands', (payload, ack) => {
			const call = authorized(eventPayloads['room:clear-hands'], payload, ack);
			if (call) decide(call.reply, () => options.room.clearHands(call.access));
		});
		socket.on('room:pin-screen', (payload, ack) => {
			const call = authorized(eventPayloads['room:pin-screen'], payload, ack);
			if (call) decide(call.reply, () => options.room.pinScreen(call.access, call.input.section));
		});
		socket.on('scribe:writing-for', (payload, ack) => {
			const call = authorized(eventPayloads['scribe:writing-for'], payload, ack);
			if (call) decide(call.reply, () => options.scribes?.setWritingFor(call.access, call.input.participantId, socket.id));
		});
		socket.on('doc:snapshot', (payload, ack) => {
			const call = authorized(eventPayloads['doc:snapshot'], payload, ack);
			if (!call) return;
			options.documentSnapshot(call.input.meetingId).then(
				(snapshot) => {
					if (snapshot) options.onRead?.(socket.data.principal, call.input.meetingId, call.access.participant.id, 'snapshot');
					call.reply({ ok: true, snapshot } as Ack);
				},
				(error: unknown) => {
					log.warn({ err: error }, 'document snapshot failed');
					call.reply({ ok: false, error: { code: 'unavailable', message: 'The document is not available.' } });
				}
			);
		});

		// Cheap on purpose: no policy check, no database, nothing broadcast. It passes the same token
		// bucket as every other event (one a second is far below its rate), so it cannot be used to flood.
		socket.on('connection:heartbeat', (payload, ack) => {
			if (typeof ack !== 'function') return;
			if (!v.safeParse(eventPayloads['connection:heartbeat'], payload).success) {
				ack({ ok: false, error: { code: 'invalid_payload', message: 'the heartbeat carries an empty object' } });
				return;
			}
			ack({ ok: true });
		});

		socket.on('disconnecting', () => {
			for (const id of socket.data.participants.keys()) {
				const presence = presenceOf(id);
				socket.to(roomOf(id)).emit('meeting:presence', { ...presence, online: presence.online - 1 });
				broadcastState(id, socket);
			}
		});
		socket.on('disconnect', () => {
			for (const [id, participantId] of socket.data.participants) options.onLeave?.(socket.data.principal, id, participantId);
			for (const done of unregister) done();
			options.scribes?.connectionClosed(socket.id);
			options.onConnectionCountChange?.(io.sockets.sockets.size);
		});
	});

	options.events.on('room-changed', (id) => broadcastState(id));
	options.events.on('meeting-deleted', (id) => io.in(roomOf(id)).disconnectSockets(true));

	return { io, engine };
}
