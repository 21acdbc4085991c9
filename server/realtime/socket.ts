import { randomUUID } from 'node:crypto';
import { Server as Engine } from 'engine.io';
import { Server } from 'socket.io';
import * as v from 'valibot';
import type {
	ClientToServerEvents,
	InterServerEvents,
	MeetingPresence,
	ServerToClientEvents,
	SocketData
} from '../../src/lib/protocol/events.js';
import { meetingIdPattern } from '../../src/lib/protocol/yjs-messages.js';
import type { Closable, LiveConnections } from '../connections.js';
import type { Logger } from '../log.js';
import type { Principal } from '../policy.js';

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

const JoinPayload = v.object({ meetingId: v.pipe(v.string(), v.regex(meetingIdPattern)) });

const roomOf = (meetingId: string) => `meeting:${meetingId}`;

export type MeetingVerdict =
	| { ok: true; participantId: string | null; userId: string | null }
	| { ok: false; code: 'unauthenticated' | 'not_found' | 'forbidden' };

const refusalMessages = {
	unauthenticated: 'Sign in first.',
	not_found: 'No such meeting.',
	forbidden: 'You do not have access to this meeting.'
} as const;

/**
 * socket.io for decisions and presence (DESIGN.md: content travels over Yjs, decisions over socket.io).
 * It runs on an engine.io server that is not attached to any HTTP server: the app's request and
 * upgrade routers hand it exactly the traffic under /socket.io/. Who is asking is resolved once, at
 * the handshake, from the session cookie; each meeting is authorized when joined.
 */
export function createRealtime(options: {
	log: Logger;
	connections: LiveConnections;
	principalOf(cookieHeader: string | undefined): Promise<Principal>;
	authorizeMeeting(principal: Principal, meetingId: string): MeetingVerdict;
	onConnectionCountChange?(count: number): void;
}): { io: RealtimeServer; engine: Engine } {
	const engine = new Engine({ maxHttpBufferSize: 64 * 1024 });
	const io: RealtimeServer = new Server({ path: '/socket.io', serveClient: false });
	io.bind(engine);

	const presenceOf = (meetingId: string): MeetingPresence => ({
		meetingId,
		online: io.sockets.adapter.rooms.get(roomOf(meetingId))?.size ?? 0
	});

	io.use((socket, next) => {
		socket.data.connectionId = randomUUID();
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
		const closable: Closable = { close: () => socket.disconnect(true) };

		socket.on('meeting:join', (payload, ack) => {
			if (typeof ack !== 'function') return;
			const parsed = v.safeParse(JoinPayload, payload);
			if (!parsed.success) {
				ack({ ok: false, error: { code: 'invalid_payload', message: 'meetingId must be a meeting id' } });
				return;
			}
			const { meetingId } = parsed.output;
			const verdict = options.authorizeMeeting(socket.data.principal, meetingId);
			if (!verdict.ok) {
				ack({ ok: false, error: { code: verdict.code, message: refusalMessages[verdict.code] } });
				return;
			}
			if (!socket.rooms.has(roomOf(meetingId))) {
				unregister.push(options.connections.add(closable, { participantId: verdict.participantId, userId: verdict.userId }));
				void socket.join(roomOf(meetingId));
			}
			const presence = presenceOf(meetingId);
			ack({ ok: true, presence });
			socket.to(roomOf(meetingId)).emit('meeting:presence', presence);
			log.debug({ meetingId }, 'joined meeting');
		});

		socket.on('meeting:leave', (payload) => {
			const parsed = v.safeParse(JoinPayload, payload);
			if (!parsed.success) return;
			void socket.leave(roomOf(parsed.output.meetingId));
			io.to(roomOf(parsed.output.meetingId)).emit('meeting:presence', presenceOf(parsed.output.meetingId));
		});

		socket.on('disconnecting', () => {
			for (const room of socket.rooms) {
				if (!room.startsWith('meeting:')) continue;
				const meetingId = room.slice('meeting:'.length);
				const presence = presenceOf(meetingId);
				socket.to(room).emit('meeting:presence', { ...presence, online: presence.online - 1 });
			}
		});
		socket.on('disconnect', () => {
			for (const done of unregister) done();
			options.onConnectionCountChange?.(io.sockets.sockets.size);
		});
	});

	return { io, engine };
}
