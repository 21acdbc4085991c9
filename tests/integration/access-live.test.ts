/**
 * Access on live connections (issue 3): a `view` peer's messages go nowhere; awareness identity is
 * the server's; revoking a participant or disabling an account cuts their open Yjs and socket.io
 * connections within a second, and they cannot come back.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CloseCode } from '../../src/lib/protocol/close-codes.js';
import { databasePath } from '../../server/config.js';
import { openDatabase } from '../../server/db/database.js';
import { addGoal, addService, clientVoice } from '../../src/lib/meeting/index.js';
import { account, guest, meetingWithCoordinator, names, type Account } from '../helpers/people.js';
import { startServer, tempDataDir, type TestServer } from '../helpers/server.js';
import {
	admit,
	Clients,
	connectSocket,
	handled,
	openRaw,
	rawHandled,
	removeDir,
	startChild,
	storedRows,
	withAppOn,
	type ChildServer,
	type RealtimeSocket,
	serverForFile,
	awarenessFrame,
	updateFrame
} from './support.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

const shared = serverForFile({ unloadDelayMs: 60_000 });
const { clients, sockets } = shared;

async function admitted(meetingId: string, cookie: string, on = clients) {
	const admission = await admit(on, meetingId, cookie);
	if (!admission.synced) throw new Error(`refused with ${admission.code}`);
	return admission;
}

async function socketIn(url: string, meetingId: string, cookie: string): Promise<RealtimeSocket> {
	const socket = await connectSocket(url, cookie);
	sockets.push(socket);
	const ack = await socket.emitWithAck('meeting:join', { meetingId });
	expect(ack).toMatchObject({ ok: true });
	return socket;
}

/** `promise`, or a clear failure once it is plainly not coming (well past the one-second promise). */
function soon<T>(promise: Promise<T>, what: string, ms = 5000): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
	});
	return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** When the provider's connection closed, and with which code (the first close only). */
function closeOf(provider: WebsocketProvider): Promise<{ code: number; at: number }> {
	return new Promise((resolve) =>
		provider.on('connection-close', (event) => {
			if (event) resolve({ code: event.code, at: performance.now() });
		})
	);
}

function disconnectOf(socket: RealtimeSocket): Promise<{ reason: string; at: number }> {
	return new Promise((resolve) => socket.once('disconnect', (reason) => resolve({ reason, at: performance.now() })));
}

const contentOf = (doc: Y.Doc) => ({ sv: Buffer.from(Y.encodeStateVector(doc)).toString('base64'), json: doc.toJSON() });

describe('a view participant', () => {
	it('reads live, but its updates and awareness reach neither another peer nor the disk', async () => {
		const { meeting, coordinator } = await meetingWithCoordinator(shared.srv.app, 'Verkostotapaaminen: Tapio Närhi');
		const viewer = await guest(shared.srv.app, meeting.id, coordinator, { role: 'kela', access: 'view', name: names.kela });
		const editor = await admitted(meeting.id, coordinator.cookie);
		clientVoice(editor.doc).insert(0, 'Tapio kertoo: kuntoutus on auttanut.');
		// A state at clock 0 (the provider's initial `{}`) is not propagated by y-protocols: set one.
		editor.provider.awareness.setLocalStateField('cursor', null);
		await handled(editor.provider);

		const view = await admitted(meeting.id, viewer.cookie);
		expect(clientVoice(view.doc).toString()).toBe('Tapio kertoo: kuntoutus on auttanut.');
		const before = {
			rows: storedRows(shared.srv.app.db, meeting.id),
			server: contentOf(shared.srv.app.documents.get(meeting.id)!.doc),
			editor: contentOf(editor.doc)
		};
		expect(before.rows.updates.length).toBeGreaterThan(0);

		// The stock provider sends whatever its (read-only in the UI) document does…
		clientVoice(view.doc).insert(0, 'Åsa yrittää kirjoittaa. ');
		addService(view.doc, { name: 'Kelan ammatillinen kuntoutus', sector: 'kela', status: 'planned' });
		addGoal(view.doc, { text: 'Väärä tavoite', area: 'work' });
		view.provider.awareness.setLocalStateField('cursor', { anchor: 3 });
		// …and a raw client sends a crafted update and awareness on the same session.
		const raw = await openRaw(`${shared.srv.yjsUrl}/${meeting.id}`, viewer.cookie);
		const forged = new Y.Doc();
		forged.getMap<string>('openQuestions').set('x', 'Kuka päättää? (Åsa)');
		raw.ws.send(updateFrame(Y.encodeStateAsUpdate(forged)));
		raw.ws.send(awarenessFrame([forged.clientID, 1, { user: { name: 'Åsa' }, cursor: null }]));

		// Both viewer connections have been handled, and anything relayed has reached the editor.
		await handled(view.provider);
		await rawHandled(raw);
		await handled(editor.provider);

		expect(storedRows(shared.srv.app.db, meeting.id)).toEqual(before.rows);
		expect(contentOf(shared.srv.app.documents.get(meeting.id)!.doc)).toEqual(before.server);
		expect(contentOf(editor.doc)).toEqual(before.editor);
		const seenByEditor = [...editor.provider.awareness.getStates().keys()];
		expect(seenByEditor).not.toContain(view.doc.clientID);
		expect(seenByEditor).not.toContain(forged.clientID);
		expect([...shared.srv.app.documents.get(meeting.id)!.awareness.getStates().keys()]).not.toContain(view.doc.clientID);
		expect(raw.isClosed()).toBe(false);

		// It still follows the meeting live, and sees who else is here.
		clientVoice(editor.doc).insert(clientVoice(editor.doc).length, ' Työkokeilu alkaa syksyllä.');
		await expect.poll(() => clientVoice(view.doc).toString()).toContain('Työkokeilu alkaa syksyllä.');
		await expect.poll(() => [...view.provider.awareness.getStates().keys()]).toContain(editor.doc.clientID);
		raw.ws.close();
	});
});

describe('awareness identity is the server’s', () => {
	it('a forged `user` is replaced by the participant’s record (name, role, participantId)', async () => {
		const { meeting, coordinator } = await meetingWithCoordinator(shared.srv.app, 'Verkostotapaaminen: Kaisa Mäntylä');
		const client = await guest(shared.srv.app, meeting.id, coordinator, { role: 'client', name: 'Kaisa Mäntylä' });
		const coordinatorParticipant = shared.srv.app.participants.forUser(meeting.id, coordinator.userId)!;
		const watcher = await admitted(meeting.id, coordinator.cookie);
		const forger = await admitted(meeting.id, client.cookie);

		forger.provider.awareness.setLocalStateField('user', {
			name: names.coordinator,
			role: 'coordinator',
			participantId: coordinatorParticipant.id,
			color: '#000000'
		});
		await handled(forger.provider);
		await handled(watcher.provider);

		const expectedUser = {
			name: 'Kaisa Mäntylä',
			role: 'client',
			participantId: client.participant.id,
			color: expect.stringMatching(/^#[0-9a-f]{6}$/)
		};
		expect(watcher.provider.awareness.getStates().get(forger.doc.clientID)?.user).toMatchObject(expectedUser);
		expect(watcher.provider.awareness.getStates().get(forger.doc.clientID)?.user.color).not.toBe('#000000');
		expect(shared.srv.app.documents.get(meeting.id)!.awareness.getStates().get(forger.doc.clientID)?.user).toMatchObject(expectedUser);
	});

	it('a peer cannot set or remove another peer’s awareness client id', async () => {
		const { meeting, coordinator } = await meetingWithCoordinator(shared.srv.app, 'Verkostotapaaminen: Leena Österlund');
		const professional = await account(shared.srv.app, 'professional', 'Mats Åkerblom');
		shared.srv.app.participation.addParticipant(coordinator.principal, meeting.id, {
			name: 'Mats Åkerblom',
			role: 'doctor',
			organisation: 'Työterveys',
			presence: 'remote',
			access: 'edit',
			userId: professional.userId
		});
		const victim = await admitted(meeting.id, coordinator.cookie);
		const watcher = await admitted(meeting.id, coordinator.cookie);
		victim.provider.awareness.setLocalStateField('cursor', { anchor: 7 });
		await handled(victim.provider);
		await handled(watcher.provider);
		const original = watcher.provider.awareness.getStates().get(victim.doc.clientID);
		expect(original).toMatchObject({ cursor: { anchor: 7 }, user: { name: names.coordinator } });

		const attacker = await openRaw(`${shared.srv.yjsUrl}/${meeting.id}`, professional.cookie);
		const id = victim.doc.clientID;
		attacker.ws.send(awarenessFrame([id, 1000, { cursor: { anchor: 0 }, user: { name: 'Mats' } }]));
		attacker.ws.send(awarenessFrame([id, 1001, null]));
		// Its own client id is fine, and proves the frames before it were handled.
		attacker.ws.send(awarenessFrame([424242, 1, { cursor: null }]));
		await expect
			.poll(() => watcher.provider.awareness.getStates().get(424242)?.user)
			.toMatchObject({ name: 'Mats Åkerblom', role: 'doctor' });

		expect(watcher.provider.awareness.getStates().get(id)).toEqual(original);
		expect(shared.srv.app.documents.get(meeting.id)!.awareness.getStates().get(id)).toEqual(original);
		expect(attacker.isClosed()).toBe(false);
		attacker.ws.close();
	});
});

describe('cutting off live connections', () => {
	/** A participant connected on both channels, with the moments their connections close. */
	async function connectedEverywhere(meetingId: string, cookie: string, base = { yjs: clients, url: () => shared.srv.url }) {
		const yjs = await admitted(meetingId, cookie, base.yjs);
		const yjsClosed = closeOf(yjs.provider);
		const socket = await socketIn(base.url(), meetingId, cookie);
		const socketClosed = disconnectOf(socket);
		return { yjs, yjsClosed, socket, socketClosed };
	}

	async function expectCutOffWithinASecond(
		connections: Awaited<ReturnType<typeof connectedEverywhere>>,
		since: number,
		code: number = CloseCode.Forbidden
	) {
		const [yjs, socket] = await Promise.all([
			soon(connections.yjsClosed, 'the Yjs connection closed'),
			soon(connections.socketClosed, 'the socket.io connection closed')
		]);
		expect(yjs.code).toBe(code);
		expect(yjs.at - since).toBeLessThan(1000);
		expect(socket.reason).toBe('io server disconnect');
		expect(socket.at - since).toBeLessThan(1000);
	}

	async function expectRefusedAgain(meetingId: string, cookie: string, yjsCode: number, socketCode: string) {
		expect(await admit(clients, meetingId, cookie)).toEqual({ synced: false, code: yjsCode });
		// Without a valid session socket.io refuses the handshake itself (issue 20, item 3).
		const socket = await connectSocket(shared.srv.url, cookie).catch(() => null);
		if (socketCode === 'unauthenticated') {
			expect(socket).toBeNull();
			return;
		}
		expect(socket).not.toBeNull();
		sockets.push(socket!);
		expect(await socket!.emitWithAck('meeting:join', { meetingId })).toMatchObject({ ok: false, error: { code: socketCode } });
	}

	it('revoking a guest closes its Yjs (4403) and socket.io connections within a second; it cannot reconnect (4401)', async () => {
		const { meeting, coordinator } = await meetingWithCoordinator(shared.srv.app, 'Verkostotapaaminen: Risto Hämäläinen');
		const nurse = await guest(shared.srv.app, meeting.id, coordinator, { role: 'nurse', name: names.nurse });
		const others = await connectedEverywhere(meeting.id, coordinator.cookie);
		const connections = await connectedEverywhere(meeting.id, nurse.cookie);

		const since = performance.now();
		await shared.srv.app.participation.revoke(coordinator.principal, meeting.id, nurse.participant.id);
		await expectCutOffWithinASecond(connections, since);
		// Its session ended with it: back to anonymous.
		await expectRefusedAgain(meeting.id, nurse.cookie, CloseCode.Unauthenticated, 'unauthenticated');
		// Nobody else was cut off.
		expect(others.yjs.provider.wsconnected).toBe(true);
		expect(others.socket.connected).toBe(true);
	});

	it('revoking an account’s participation closes its connections within a second; it cannot reconnect (4403)', async () => {
		const { meeting, coordinator } = await meetingWithCoordinator(shared.srv.app, 'Verkostotapaaminen: Oona Kivistö');
		const professional = await account(shared.srv.app, 'professional', 'Henrik Lönnqvist');
		const participant = shared.srv.app.participation.addParticipant(coordinator.principal, meeting.id, {
			name: 'Henrik Lönnqvist',
			role: 'employment',
			organisation: 'Työllisyyspalvelut',
			presence: 'room',
			access: 'edit',
			userId: professional.userId
		}).participant;
		const connections = await connectedEverywhere(meeting.id, professional.cookie);

		const since = performance.now();
		await shared.srv.app.participation.revoke(coordinator.principal, meeting.id, participant.id);
		await expectCutOffWithinASecond(connections, since);
		// The account's session is still good, for its other meetings; this one is closed to it.
		await expectRefusedAgain(meeting.id, professional.cookie, CloseCode.Forbidden, 'forbidden');
	});

	it('disabling an account closes all its connections within a second, even a socket not in any meeting yet', async () => {
		const { meeting, coordinator } = await meetingWithCoordinator(shared.srv.app, 'Verkostotapaaminen: Elli Öhberg');
		const second = shared.srv.app.participation.create(coordinator.principal, { title: 'Möte: Elli Öhberg', scheduledAt: '', place: '', remoteLink: '', language: 'sv' });
		const professional = await account(shared.srv.app, 'professional', 'Pirjo Väänänen');
		for (const id of [meeting.id, second.id]) {
			shared.srv.app.participation.addParticipant(coordinator.principal, id, {
				name: 'Pirjo Väänänen',
				role: 'social_worker',
				organisation: 'Aikuissosiaalityö',
				presence: 'remote',
				access: 'edit',
				userId: professional.userId
			});
		}
		const first = await connectedEverywhere(meeting.id, professional.cookie);
		const other = await admitted(second.id, professional.cookie);
		const otherClosed = closeOf(other.provider);
		const idle = await connectSocket(shared.srv.url, professional.cookie);
		sockets.push(idle);
		const idleClosed = disconnectOf(idle);

		const since = performance.now();
		await shared.srv.app.accounts.disable(coordinator.principal, professional.userId);
		await expectCutOffWithinASecond(first, since);
		const [otherYjs, idleSocket] = await Promise.all([
			soon(otherClosed, 'the Yjs connection to the other meeting closed'),
			soon(idleClosed, 'the socket.io connection in no meeting closed')
		]);
		expect(otherYjs.code).toBe(CloseCode.Forbidden);
		expect(otherYjs.at - since).toBeLessThan(1000);
		expect(idleSocket.at - since).toBeLessThan(1000);
		await expectRefusedAgain(meeting.id, professional.cookie, CloseCode.Unauthenticated, 'unauthenticated');
	});

	it('a disable committed late by another process (stamped before a wait for the write lock) is still noticed', async () => {
		const { meeting, coordinator } = await meetingWithCoordinator(shared.srv.app, 'Verkostotapaaminen: Arja Östergård');
		const professional = await account(shared.srv.app, 'professional', 'Tove Wikström');
		shared.srv.app.participation.addParticipant(coordinator.principal, meeting.id, {
			name: 'Tove Wikström',
			role: 'third_sector',
			organisation: 'Setlementti',
			presence: 'remote',
			access: 'edit',
			userId: professional.userId
		});
		const connections = await connectedEverywhere(meeting.id, professional.cookie);
		// Stamped two seconds before its commit, as by an admin command that waited for the write lock.
		const stampedAt = new Date(Date.now() - 2000).toISOString();
		const other = openDatabase(databasePath(shared.srv.app.config), { syncMode: 'normal' });
		try {
			const since = performance.now();
			other.prepare('UPDATE users SET disabled_at = ? WHERE id = ?').run(stampedAt, professional.userId);
			other.prepare('DELETE FROM sessions WHERE user_id = ?').run(professional.userId);
			await expectCutOffWithinASecond(connections, since);
		} finally {
			other.close();
		}
	});

	it('`user disable` on the command line closes the account’s connections to a running server within a second', async () => {
		const dataDir = tempDataDir('verkosto-disable-');
		let child: ChildServer | undefined;
		const childClients = new Clients(() => child!.yjsUrl);
		try {
			const { meetingId, professional } = await withAppOn(dataDir, async (app) => {
				const { meeting, coordinator } = await meetingWithCoordinator(app, 'Verkostotapaaminen: Jorma Ylikoski');
				const professional: Account = await account(app, 'professional', 'Kristiina Åström');
				app.participation.addParticipant(coordinator.principal, meeting.id, {
					name: 'Kristiina Åström',
					role: 'kela',
					organisation: 'Kela',
					presence: 'remote',
					access: 'edit',
					userId: professional.userId
				});
				return { meetingId: meeting.id, professional };
			});
			child = await startChild(dataDir);
			const connections = await connectedEverywhere(meetingId, professional.cookie, { yjs: childClients, url: () => child!.url });

			const exited = await new Promise<{ code: number | null; at: number; stderr: string }>((resolve, reject) => {
				const admin = spawn(process.execPath, ['--import', 'tsx', 'server/admin.ts', 'user', 'disable', '--email', professional.email], {
					cwd: root,
					env: { ...process.env, DATA_DIR: dataDir },
					stdio: ['ignore', 'ignore', 'pipe']
				});
				let stderr = '';
				admin.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
				admin.once('error', reject);
				admin.once('close', (code) => resolve({ code, at: performance.now(), stderr }));
			});
			expect(exited.code, exited.stderr).toBe(0);
			// The server notices within its 500 ms sweep: within a second of the command's return.
			await expectCutOffWithinASecond(connections, exited.at);
			expect(await admit(childClients, meetingId, professional.cookie)).toEqual({ synced: false, code: CloseCode.Unauthenticated });
		} finally {
			childClients.destroyAll();
			if (child) {
				child.process.kill('SIGKILL');
				await child.exited;
			}
			removeDir(dataDir);
		}
	});
});
