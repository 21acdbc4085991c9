/**
 * What an operator relies on: health and metrics endpoints, socket.io beside the Yjs endpoint,
 * a clean shutdown that stores everything pending, and the admin command line.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/lib/protocol/events.js';
import { CloseCode } from '../../src/lib/protocol/close-codes.js';
import { databasePath } from '../../server/config.js';
import { openDatabase } from '../../server/db/database.js';
import { MeetingRepository } from '../../server/meetings.js';
import { SqliteDocumentStore } from '../../server/yjs/storage.js';
import { startServer, tempDataDir, type TestServer } from '../helpers/server.js';
import { account, guest, meetingWithCoordinator } from '../helpers/people.js';
import {
	Clients,
	contains,
	removeDir,
	seedMeetings,
	signedInMeeting,
	startChild,
	storedRows,
	updateLogLength,
	waitUntil,
	withAppOn,
	type ChildServer
} from './support.js';
import { runAdmin } from '../helpers/admin.js';


let srv: TestServer;
const clients = new Clients(() => srv.yjsUrl);
const sockets: Socket[] = [];

beforeAll(async () => {
	srv = await startServer();
});
afterEach(() => {
	clients.destroyAll();
	for (const socket of sockets.splice(0)) socket.disconnect();
});
afterAll(async () => {
	await srv?.close();
	if (srv) removeDir(srv.dataDir);
});

/** The document a data folder holds for a meeting, read the way the server loads it (after it stopped). */
async function storedDocument(dataDir: string, meetingId: string) {
	const db = openDatabase(databasePath({ dataDir }), { syncMode: 'normal' });
	try {
		const stored = await new SqliteDocumentStore(db).load(meetingId);
		const doc = new Y.Doc();
		if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
		for (const update of stored.updates) Y.applyUpdate(doc, update);
		return { doc, logLength: updateLogLength(db, meetingId), snapshot: storedRows(db, meetingId).snapshot };
	} finally {
		db.close();
	}
}

/** The value of one sample in Prometheus text format (`name{labels} value`), or undefined. */
function sample(text: string, name: string): number | undefined {
	const escaped = name.replace(/[{}"=]/g, (c) => `\\${c}`);
	const match = new RegExp(`^${escaped} ([0-9.e+-]+)$`, 'm').exec(text);
	return match ? Number(match[1]) : undefined;
}

async function metrics(): Promise<string> {
	const response = await fetch(`${srv.url}/metrics`);
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
	return response.text();
}

describe('health and metrics', () => {
	it('GET /healthz answers 200 {status: ok}', async () => {
		const response = await fetch(`${srv.url}/healthz`);
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ status: 'ok' });
	});

	it('GET /metrics is Prometheus text whose counters move with edits', async () => {
		const before = await metrics();
		for (const name of [
			'verkosto_open_connections',
			'verkosto_loaded_documents',
			'verkosto_updates_received_total',
			'verkosto_update_log_length',
			'verkosto_storage_write_seconds',
			'verkosto_update_relay_seconds'
		]) {
			expect(before).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
		}
		const receivedBefore = sample(before, 'verkosto_updates_received_total') ?? 0;
		const writesBefore = sample(before, 'verkosto_storage_write_seconds_count') ?? 0;
		const relayedBefore = sample(before, 'verkosto_update_relay_seconds_count') ?? 0;

		const { meeting } = await signedInMeeting(srv.app, clients, 'Mittaritapaaminen: Raili Ähtäri');
		const a = await clients.connectSynced(meeting.id);
		const b = await clients.connectSynced(meeting.id);
		for (let i = 0; i < 12; i++) a.doc.getText('clientVoice').insert(0, `Rivi ${i}: työkyky paranee. `);
		await expect.poll(() => b.doc.getText('clientVoice').toString()).toMatch(/^Rivi 11/);

		const after = await metrics();
		expect(sample(after, 'verkosto_updates_received_total')).toBeGreaterThanOrEqual(receivedBefore + 12);
		expect(sample(after, 'verkosto_storage_write_seconds_count')).toBeGreaterThanOrEqual(writesBefore + 12);
		expect(sample(after, 'verkosto_storage_write_seconds_sum')).toBeGreaterThan(0);
		// Relayed after stored: every relayed update took at least its store's time.
		expect(sample(after, 'verkosto_update_relay_seconds_count')).toBeGreaterThanOrEqual(relayedBefore + 12);
		expect(sample(after, 'verkosto_update_relay_seconds_sum')).toBeGreaterThanOrEqual(sample(after, 'verkosto_storage_write_seconds_sum')!);
		expect(sample(after, 'verkosto_open_connections{channel="yjs"}')).toBeGreaterThanOrEqual(2);
		expect(sample(after, 'verkosto_loaded_documents')).toBeGreaterThanOrEqual(1);
		expect(sample(after, 'verkosto_update_log_length')).toBeGreaterThanOrEqual(12);
	});
});

describe('socket.io', () => {
	/** A socket.io client in Node, sending the session cookie as a browser would. */
	function connect(cookie?: string): Socket<ServerToClientEvents, ClientToServerEvents> {
		const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(srv.url, {
			path: '/socket.io',
			reconnection: false,
			...(cookie ? { extraHeaders: { cookie } } : {})
		});
		sockets.push(socket);
		return socket;
	}

	it('joins a known meeting with presence, and tells the others who is online', async () => {
		const { meeting, coordinator } = await meetingWithCoordinator(srv.app, 'Tapaaminen: Jouni Länsimäki');
		const client = await guest(srv.app, meeting.id, coordinator);
		const first = connect(coordinator.cookie);
		const joined = await first.emitWithAck('meeting:join', { meetingId: meeting.id });
		expect(joined).toMatchObject({ ok: true, presence: { meetingId: meeting.id, online: 1 } });

		const presence: number[] = [];
		first.on('meeting:presence', (p) => presence.push(p.online));
		const second = connect(client.cookie);
		expect(await second.emitWithAck('meeting:join', { meetingId: meeting.id })).toMatchObject({
			ok: true,
			presence: { online: 2 }
		});
		await expect.poll(() => presence).toContain(2);
		// Both transports work through the one upgrade router: it upgraded from polling to websocket.
		await expect.poll(() => first.io.engine.transport.name).toBe('websocket');
	});

	it('refuses an unknown meeting (to a signed-in user) and a malformed id in the ack', async () => {
		const { coordinator } = await meetingWithCoordinator(srv.app, 'Tapaaminen: Kerttu Ylä-Mönkkönen');
		const socket = connect(coordinator.cookie);
		const unknown = await socket.emitWithAck('meeting:join', { meetingId: 'eiTallaistaTapaamista' });
		expect(unknown).toEqual({ ok: false, error: { code: 'not_found', message: expect.any(String) } });
		const malformed = await socket.emitWithAck('meeting:join', { meetingId: 'Åbo möte!' });
		expect(malformed).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
	});

	it('refuses an anonymous socket at the handshake, before it can ask for any meeting (issue 20)', async () => {
		const socket = connect();
		const refusal = await new Promise<Error>((resolve, reject) => {
			socket.once('connect_error', resolve);
			socket.once('connect', () => reject(new Error('an anonymous socket was let in')));
		});
		expect(refusal).toBeInstanceOf(Error);
		expect(socket.connected).toBe(false);
	});
});

describe('shutdown', () => {
	it('app.close() closes open clients with 1001 and leaves every pending update on disk', async () => {
		const own = await startServer();
		const ownClients = new Clients(() => own.yjsUrl);
		try {
			const { meeting } = await signedInMeeting(own.app, ownClients, 'Viimeinen tapaaminen: Anneli Öhman');
			const a = ownClients.connect(meeting.id);
			const b = ownClients.connect(meeting.id);
			await waitUntil(() => a.provider.synced && b.provider.synced);
			const codes = new Map<string, number[]>([
				['a', []],
				['b', []]
			]);
			a.provider.on('connection-close', (event) => event && codes.get('a')!.push(event.code));
			b.provider.on('connection-close', (event) => event && codes.get('b')!.push(event.code));

			// a keeps typing while the server shuts down under it.
			let typed = 0;
			const typing = (async () => {
				while (typed < 300 && a.provider.wsconnected) {
					a.doc.getMap<string>('openQuestions').set(`q${typed}`, `Kysymys ${typed} (Anneli)`);
					typed++;
					if (typed % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
				}
			})();
			await waitUntil(() => b.doc.getMap('openQuestions').size >= 50);
			await own.app.close();
			await typing;

			await expect.poll(() => codes.get('a')).toContain(CloseCode.GoingAway);
			await expect.poll(() => codes.get('b')).toContain(CloseCode.GoingAway);
			ownClients.destroyAll();

			// Everything b was shown is stored; the document was compacted on the way out.
			const stored = await storedDocument(own.dataDir, meeting.id);
			expect(contains(stored.doc, Y.encodeStateAsUpdate(b.doc))).toBe(true);
			expect(stored.doc.getMap('openQuestions').size).toBeGreaterThanOrEqual(50);
			expect(stored.logLength).toBe(0);
			expect(stored.snapshot).not.toBeNull();

			// And it no longer answers health checks as healthy.
			const health = await fetch(`${own.url}/healthz`).catch(() => undefined);
			if (health) expect(health.status).toBe(503);
		} finally {
			ownClients.destroyAll();
			await own.close();
			removeDir(own.dataDir);
		}
	});

	it('SIGTERM stops the server with exit code 0 after storing pending writes', async () => {
		const dataDir = tempDataDir('verkosto-sigterm-');
		let child: ChildServer | undefined;
		const childClients = new Clients(() => child!.yjsUrl);
		try {
			const { meetingIds, coordinator } = await seedMeetings(dataDir, ['Tapaaminen: Erkki Pöyhönen']);
			const meetingId = meetingIds[0]!;
			childClients.signIn(meetingId, coordinator.cookie);
			child = await startChild(dataDir);
			const writer = await childClients.connectSynced(meetingId);
			const observer = await childClients.connectSynced(meetingId);
			for (let i = 0; i < 40; i++) writer.doc.getText('clientVoice').insert(0, `${i} `);
			await waitUntil(() => observer.doc.getText('clientVoice').toString().startsWith('39 '));

			child.process.kill('SIGTERM');
			expect(await child.exited).toEqual({ code: 0, signal: null });
			await waitUntil(() => !observer.provider.wsconnected);
			childClients.destroyAll();

			const stored = await storedDocument(dataDir, meetingId);
			expect(contains(stored.doc, Y.encodeStateAsUpdate(observer.doc))).toBe(true);
			expect(stored.doc.getText('clientVoice').toString()).toMatch(/^39 38 37 /);
			expect(stored.logLength).toBe(0);
		} finally {
			childClients.destroyAll();
			if (child && child.process.exitCode === null && child.process.signalCode === null) {
				child.process.kill('SIGKILL');
				await child.exited;
			}
			removeDir(dataDir);
		}
	});
});

describe('admin command line', () => {
	const admin = runAdmin;
	const lastLine = (stdout: string) => stdout.trimEnd().split('\n').at(-1)!;

	let dataDir: string;
	beforeAll(() => {
		dataDir = tempDataDir('verkosto-admin-');
	});
	afterAll(() => removeDir(dataDir));

	it('meeting create --title prints the new meeting id as its last line, and the meeting exists', async () => {
		const result = await admin(['meeting', 'create', '--title', 'Tapaaminen Åbo'], dataDir);
		expect(result.code, result.stderr).toBe(0);
		const id = lastLine(result.stdout);
		expect(id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
		const db = openDatabase(databasePath({ dataDir }), { syncMode: 'normal' });
		try {
			expect(new MeetingRepository(db).get(id)?.title).toBe('Tapaaminen Åbo');
		} finally {
			db.close();
		}
	});

	it('without --title exits 2 with a usage message', async () => {
		const result = await admin(['meeting', 'create'], dataDir);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/Usage:/);
		expect(result.stderr).toMatch(/--title/);
	});

	it('an unknown command exits 2 with a usage message', async () => {
		const result = await admin(['kokous', 'poista'], dataDir);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/unknown command/);
		expect(result.stderr).toMatch(/Usage:/);
	});

	it('user add reads the password from standard input, never prints it, and the account can sign in', async () => {
		const password = 'Kahvinkeitin-Åland-2024';
		const result = await admin(
			['user', 'add', '--email', 'ilmari.ostman@example.fi', '--name', 'Ilmari Östman', '--role', 'coordinator'],
			dataDir,
			`${password}\n`
		);
		expect(result.code, result.stderr).toBe(0);
		const id = lastLine(result.stdout);
		expect(result.stdout + result.stderr).not.toContain(password);
		await withAppOn(dataDir, async (app) => {
			expect(app.users.get(id)).toMatchObject({ email: 'ilmari.ostman@example.fi', name: 'Ilmari Östman', role: 'coordinator', disabled: false });
			const signedIn = await app.accounts.signIn('ilmari.ostman@example.fi', password, '192.0.2.10');
			expect(signedIn.user.id).toBe(id);
			await expect(app.accounts.signIn('ilmari.ostman@example.fi', `${password}\n`, '192.0.2.10')).rejects.toMatchObject({ code: 'invalid' });
		});
	});

	it('user add refuses a bad role (exit 2), a weak password and a taken email (exit 1), creating nothing', async () => {
		const [badRole, weak, taken] = await Promise.all([
			admin(['user', 'add', '--email', 'saga@example.fi', '--name', 'Saga Nyström', '--role', 'superuser'], dataDir, 'Pitkä-salasana-123\n'),
			admin(['user', 'add', '--email', 'saga@example.fi', '--name', 'Saga Nyström', '--role', 'professional'], dataDir, 'lyhyt\n'),
			admin(['user', 'add', '--email', 'ilmari.ostman@example.fi', '--name', 'Toinen Östman', '--role', 'professional'], dataDir, 'Pitkä-salasana-123\n')
		]);
		expect(badRole.code).toBe(2);
		expect(badRole.stderr).toMatch(/--role must be one of coordinator, professional/);
		expect(weak.code).toBe(1);
		expect(weak.stderr).toMatch(/^admin: .*password/im);
		expect(taken.code).toBe(1);
		expect(taken.stderr).toMatch(/already exists/);
		await withAppOn(dataDir, (app) => {
			expect(app.users.findByEmail('saga@example.fi')).toBeUndefined();
			expect(app.users.findByEmail('ilmari.ostman@example.fi')?.name).toBe('Ilmari Östman');
		});
	});

	it('meeting create --coordinator makes that account the meeting’s coordinator; an unknown or professional one is refused', async () => {
		const { professional } = await withAppOn(dataDir, async (app) => ({ professional: await account(app, 'professional') }));
		const created = await admin(
			['meeting', 'create', '--title', 'Verkostotapaaminen: Lyyli Åkesson', '--coordinator', 'ilmari.ostman@example.fi'],
			dataDir
		);
		expect(created.code, created.stderr).toBe(0);
		expect(created.stdout).toContain('ilmari.ostman@example.fi');
		const id = lastLine(created.stdout);

		const [unknown, notCoordinator] = await Promise.all([
			admin(['meeting', 'create', '--title', 'Ei synny', '--coordinator', 'ei.ole@example.fi'], dataDir),
			admin(['meeting', 'create', '--title', 'Ei synny', '--coordinator', professional.email], dataDir)
		]);
		for (const refused of [unknown, notCoordinator]) {
			expect(refused.code).toBe(1);
			expect(refused.stderr).toMatch(/no active coordinator account with the email/);
		}

		await withAppOn(dataDir, (app) => {
			const coordinator = app.users.findByEmail('ilmari.ostman@example.fi')!;
			expect(app.meetings.get(id)?.title).toBe('Verkostotapaaminen: Lyyli Åkesson');
			expect(app.participants.list(id)).toEqual([
				expect.objectContaining({ userId: coordinator.id, name: 'Ilmari Östman', role: 'coordinator', access: 'edit', revoked: false })
			]);
			const titles = app.db.prepare<[], { title: string }>('SELECT title FROM meetings').all().map((row) => row.title);
			expect(titles).not.toContain('Ei synny');
		});
	});

	it('user disable ends the account’s sessions and sign-ins; an unknown email exits 1', async () => {
		const { victim } = await withAppOn(dataDir, async (app) => ({ victim: await account(app, 'professional', 'Tyyne Ärölä') }));
		const disabled = await admin(['user', 'disable', '--email', victim.email], dataDir);
		expect(disabled.code, disabled.stderr).toBe(0);
		const unknown = await admin(['user', 'disable', '--email', 'ei.ole@example.fi'], dataDir);
		expect(unknown.code).toBe(1);
		expect(unknown.stderr).toMatch(/no account with the email ei\.ole@example\.fi/);

		await withAppOn(dataDir, async (app) => {
			expect(app.users.get(victim.userId)?.disabled).toBe(true);
			expect(await app.principalOf(victim.cookie)).toEqual({ kind: 'anonymous' });
			await expect(app.accounts.signIn(victim.email, 'salasana-Åäö-12345', '192.0.2.11')).rejects.toMatchObject({ code: 'invalid' });
		});
	});

	it('purge deletes the service paths that ended more than RETENTION_DAYS ago, whole, and keeps those still active', async () => {
		// Paths as months of use leave them; their dates are written directly (the CLI runs on the real clock).
		const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 60 * 60 * 1000);
		const day = (days: number) => daysAgo(days).toISOString().slice(0, 10);
		const paths = await withAppOn(dataDir, async (app) => {
			const meeting = (title: string, closedDaysAgo: number | null, followUpDaysAgo: number | null, path?: { series: string; kind: string }) => {
				const { id } = app.meetings.create({ title });
				app.db
					.prepare('UPDATE meetings SET closed_at = ?, follow_up_date = ?, series_id = ?, kind = ? WHERE id = ?')
					.run(
						closedDaysAgo === null ? null : daysAgo(closedDaysAgo).toISOString(),
						followUpDaysAgo === null ? null : day(followUpDaysAgo),
						path?.series ?? null,
						path?.kind ?? 'first',
						id
					);
				return id;
			};
			// Ended 100 days ago with its closing meeting: deleted, the first meeting with it.
			const ended = meeting('Päätetty polku – Äijälä', 300, 290);
			const endedClosing = meeting('Päätöstapaaminen – Äijälä', 100, 70, { series: ended, kind: 'closing' });
			// Closed 300 days ago, but its follow-up is open: kept.
			const active = meeting('Jatkuva polku – Sjöström', 300, 290);
			const activeFollowUp = meeting('Seuranta – Sjöström', null, null, { series: active, kind: 'follow_up' });
			// Closed 200 days ago, follow-up date 150 days ago: still within PATH_IDLE_DAYS (180).
			const waiting = meeting('Odottava polku – Åkerman', 200, 150);
			return { ended: [ended, endedClosing], kept: [active, activeFollowUp, waiting] };
		});

		const result = await admin(['purge'], dataDir);
		expect(result.code, result.stderr).toBe(0);
		expect(lastLine(result.stdout)).toBe('Deleted 2 meeting(s) of 1 service path(s) that ended more than 90 days ago (PATH_IDLE_DAYS 180).');
		await withAppOn(dataDir, async (app) => {
			expect(paths.ended.map((id) => app.meetings.exists(id))).toEqual([false, false]);
			expect(paths.kept.map((id) => app.meetings.exists(id))).toEqual([true, true, true]);
		});
	});
});
