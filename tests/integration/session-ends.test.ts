/**
 * A session's end ends its connections (issue 20, item 5): after sign-out the open Yjs connection
 * still relayed edits and socket.io still answered; an expired session was not checked on a live
 * connection; sessions made from a replaced invitation link stayed valid. Each of the five ends —
 * sign-out, expiry, account disabled, participant revoked, invitation link revoked — must close that
 * session's live Yjs and socket.io connections within a second, with a documented code (4440 for an
 * ended session, 4403 for lost access), and the session must not open a new one. Real server, real
 * SQLite file, stock y-websocket provider and socket.io client.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { CloseCode } from '../../src/lib/protocol/close-codes.js';
import { storedSessionId } from '../../server/auth.js';
import { account, guest, meetingWithCoordinator, type Account } from '../helpers/people.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { admit, Clients, connectSocket, handled, removeDir, type RealtimeSocket, serverForFile } from './support.js';

const shared = serverForFile({ unloadDelayMs: 60_000 });
const { clients, sockets } = shared;

interface Live {
	provider: WebsocketProvider;
	channel: RealtimeSocket;
	yjs: Promise<{ code: number; at: number }>;
	socket: Promise<{ code: number | null; reason: string; at: number }>;
}

/** A stock provider and a socket.io client in the meeting on `cookie`; resolves with how each of them ends. */
async function connect(server: TestServer, on: Clients, meetingId: string, cookie: string): Promise<Live> {
	const admission = await admit(on, meetingId, cookie);
	if (!admission.synced) throw new Error(`refused with ${admission.code}`);
	const yjs = closeOf(admission.provider);
	const socket = await connectSocket(server.url, cookie);
	sockets.push(socket);
	expect(await socket.emitWithAck('meeting:join', { meetingId })).toMatchObject({ ok: true });
	let said: number | null = null;
	socket.on('connection:closed', ({ code }) => (said = code));
	const ended = new Promise<{ code: number | null; reason: string; at: number }>((resolve) =>
		socket.once('disconnect', (reason) => resolve({ code: said, reason, at: performance.now() }))
	);
	return { provider: admission.provider, channel: socket, yjs, socket: ended };
}

function closeOf(provider: WebsocketProvider): Promise<{ code: number; at: number }> {
	return new Promise((resolve) =>
		provider.on('connection-close', (event) => {
			if (event) resolve({ code: event.code, at: performance.now() });
		})
	);
}

/** `promise`, or a clear failure once it is plainly not coming (well past the one-second promise). */
function soon<T>(promise: Promise<T>, what: string, ms = 5000): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
	});
	return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Both connections closed within a second of `start`, with `code` on both channels. */
async function expectEnded(live: Live, start: number, code: number): Promise<void> {
	const yjs = await soon(live.yjs, 'the Yjs connection closing');
	const socket = await soon(live.socket, 'the socket.io connection closing');
	expect(yjs.code).toBe(code);
	expect(socket.code).toBe(code);
	// The server ended it: the client does not reconnect by itself after this reason.
	expect(socket.reason).toBe('io server disconnect');
	expect(yjs.at - start).toBeLessThan(1000);
	expect(socket.at - start).toBeLessThan(1000);
}

/** What a new connection on `cookie` gets now: the Yjs close code and whether socket.io lets it in. */
async function comeBack(meetingId: string, cookie: string): Promise<{ yjs: number | 'synced'; socket: 'connected' | 'refused' }> {
	const admission = await admit(clients, meetingId, cookie);
	const yjs = admission.synced ? 'synced' : admission.code;
	const socket = await connectSocket(shared.srv.url, cookie).then(
		(connected) => {
			sockets.push(connected);
			return 'connected' as const;
		},
		() => 'refused' as const
	);
	return { yjs, socket };
}

describe('each end of a session closes its live connections within a second', () => {
	it('sign-out: that session’s connections close with 4440; the same account’s other session stays', async () => {
		const { meeting, coordinator } = await meetingWithCoordinator(shared.srv.app, 'Verkostotapaaminen: Åsa Sjöström');
		const otherDevice = await shared.srv.app.accounts.signIn(coordinator.email, 'salasana-Åäö-12345', '127.0.0.9');
		const otherCookie = `verkosto_session=${otherDevice.sessionId}`;
		const signedOut = await connect(shared.srv, clients, meeting.id, coordinator.cookie);
		const stays = await connect(shared.srv, clients, meeting.id, otherCookie);

		const start = performance.now();
		await shared.srv.app.accounts.signOut(coordinator.principal);
		await expectEnded(signedOut, start, CloseCode.SessionEnded);

		expect(await comeBack(meeting.id, coordinator.cookie)).toEqual({ yjs: CloseCode.Unauthenticated, socket: 'refused' });
		// The other device's connections were not closed: both still get answers.
		await handled(stays.provider);
		expect(stays.provider.wsconnected).toBe(true);
		expect(await stays.channel.emitWithAck('room:hand', { meetingId: meeting.id, raised: true })).toEqual({ ok: true });
	});

	it('account disabled: its connections close with 4403', async () => {
		const { meeting, coordinator } = await meetingWithCoordinator(shared.srv.app, 'Verkostotapaaminen: Jussi Källström');
		const professional = await joinedAccount(meeting.id, coordinator, 'Mats Åkerblom');
		const live = await connect(shared.srv, clients, meeting.id, professional.cookie);

		const start = performance.now();
		await shared.srv.app.accounts.disable(coordinator.principal, professional.userId);
		await expectEnded(live, start, CloseCode.Forbidden);
		expect(await comeBack(meeting.id, professional.cookie)).toEqual({ yjs: CloseCode.Unauthenticated, socket: 'refused' });
	});

	it('participant revoked: its connections close with 4403', async () => {
		const { meeting, coordinator } = await meetingWithCoordinator(shared.srv.app, 'Verkostotapaaminen: Päivi Öhman');
		const nurse = await guest(shared.srv.app, meeting.id, coordinator, { role: 'nurse', name: 'Päivi Öhman', organisation: 'Terveysasema' });
		const live = await connect(shared.srv, clients, meeting.id, nurse.cookie);

		const start = performance.now();
		await shared.srv.app.participation.revoke(coordinator.principal, meeting.id, nurse.participant.id);
		await expectEnded(live, start, CloseCode.Forbidden);
		expect(await comeBack(meeting.id, nurse.cookie)).toEqual({ yjs: CloseCode.Unauthenticated, socket: 'refused' });
	});

	it('invitation link revoked: the sessions made from that link end (4440); a session from another link stays', async () => {
		const { meeting, coordinator } = await meetingWithCoordinator(shared.srv.app, 'Verkostotapaaminen: Sanna Häkkinen');
		const client = await guest(shared.srv.app, meeting.id, coordinator, { role: 'client', name: 'Sanna Häkkinen' });
		const live = await connect(shared.srv, clients, meeting.id, client.cookie);

		// A new link (for a second device) does not end the first link's session (issue #21 item 9).
		const second = shared.srv.app.participation.reissueInvite(coordinator.principal, meeting.id, client.participant.id);
		const other = await shared.srv.app.participation.join(second.token, { name: 'Sanna Häkkinen', consent: ['health', 'kela'] }, '127.0.0.1');
		expect(await comeBack(meeting.id, client.cookie)).toEqual({ yjs: 'synced', socket: 'connected' });
		const links = shared.srv.app.participation.validInvites(coordinator.principal, meeting.id, client.participant.id);
		expect(links.map((link) => link.id)).toHaveLength(2);

		const start = performance.now();
		shared.srv.app.participation.revokeInvite(coordinator.principal, meeting.id, client.participant.id, links[0]!.id);
		await expectEnded(live, start, CloseCode.SessionEnded);
		expect(await comeBack(meeting.id, client.cookie)).toEqual({ yjs: CloseCode.Unauthenticated, socket: 'refused' });
		expect(await comeBack(meeting.id, `verkosto_session=${other.sessionId}`)).toEqual({ yjs: 'synced', socket: 'connected' });
		expect(shared.srv.app.audit.forMeeting(meeting.id).map((e) => e.action)).toContain('invite_revoked');

		// Revoking the last valid link ends every session of the guest.
		shared.srv.app.participation.revokeInvite(coordinator.principal, meeting.id, client.participant.id, second.id);
		expect(await comeBack(meeting.id, `verkosto_session=${other.sessionId}`)).toEqual({ yjs: CloseCode.Unauthenticated, socket: 'refused' });
		expect(shared.srv.app.db.prepare('SELECT count(*) AS n FROM sessions WHERE participant_id = ?').get(client.participant.id)).toEqual({ n: 0 });
	});

	it('expiry: a session that expires while connected closes its connections with 4440 within a second of its expiry', async () => {
		const lifetimeSeconds = 3;
		const short = await startServer({ sessionLifetimeSeconds: lifetimeSeconds });
		const shortClients = new Clients(() => short.yjsUrl);
		try {
			const { meeting, coordinator } = await meetingWithCoordinator(short.app, 'Verkostotapaaminen: Eero Äijälä');
			const live = await connect(short, shortClients, meeting.id, coordinator.cookie);
			// As stored now (a use in the second half of its lifetime would have extended it).
			const { expires_at: expiresAt } = short.app.db
				.prepare<[string], { expires_at: number }>('SELECT expires_at FROM sessions WHERE id = ?')
				.get(storedSessionId(coordinator.sessionId))!;
			const expiresAtPerf = performance.now() + (expiresAt - Date.now());
			expect(expiresAtPerf - performance.now()).toBeGreaterThan(0);

			const yjs = await soon(live.yjs, 'the Yjs connection closing', lifetimeSeconds * 1000 + 5000);
			const socket = await soon(live.socket, 'the socket.io connection closing');
			expect(yjs.code).toBe(CloseCode.SessionEnded);
			expect(socket.code).toBe(CloseCode.SessionEnded);
			// Not before it expired (small slack for the two clocks), and within a second after.
			expect(yjs.at).toBeGreaterThan(expiresAtPerf - 50);
			expect(yjs.at - expiresAtPerf).toBeLessThan(1000);
			expect(socket.at - expiresAtPerf).toBeLessThan(1000);

			const admission = await admit(shortClients, meeting.id, coordinator.cookie);
			expect(admission).toMatchObject({ synced: false, code: CloseCode.Unauthenticated });
		} finally {
			shortClients.destroyAll();
			await short.close();
			removeDir(short.dataDir);
		}
	});

	it('a session used over HTTP in its second half is extended, and its connections stay open past the first expiry', async () => {
		const short = await startServer({ sessionLifetimeSeconds: 2 });
		const shortClients = new Clients(() => short.yjsUrl);
		try {
			const { meeting, coordinator } = await meetingWithCoordinator(short.app, 'Verkostotapaaminen: Tuula Ylä-Mönkkönen');
			const live = await connect(short, shortClients, meeting.id, coordinator.cookie);
			const expiryOf = () =>
				short.app.db
					.prepare<[string], { expires_at: number }>('SELECT expires_at FROM sessions WHERE id = ?')
					.get(storedSessionId(coordinator.sessionId))!.expires_at;
			const firstExpiry = expiryOf();
			// What every page load does (hooks.server.ts): validating the session in its second half extends it.
			await vi.waitFor(async () => expect((await short.app.auth.validateSession(coordinator.sessionId)).session?.fresh).toBe(true), {
				timeout: 3000,
				interval: 50
			});
			expect(expiryOf()).toBeGreaterThan(firstExpiry);
			// Past the first expiry and a whole sweep interval after it, both connections still answer.
			await vi.waitFor(() => expect(Date.now()).toBeGreaterThan(firstExpiry + 1000), { timeout: 5000, interval: 50 });
			await handled(live.provider);
			expect(live.provider.wsconnected).toBe(true);
			expect(await live.channel.emitWithAck('room:hand', { meetingId: meeting.id, raised: true })).toEqual({ ok: true });
		} finally {
			shortClients.destroyAll();
			await short.close();
			removeDir(short.dataDir);
		}
	});
});

/** A professional account added to the meeting as a participant. */
async function joinedAccount(meetingId: string, coordinator: Account, name: string): Promise<Account> {
	const professional = await account(shared.srv.app, 'professional', name);
	shared.srv.app.participation.addParticipant(coordinator.principal, meetingId, {
		name,
		role: 'doctor',
		organisation: 'Terveysasema',
		presence: 'room',
		access: 'edit',
		userId: professional.userId
	});
	return professional;
}
