/**
 * Hostile input on every channel (issue 8, item 5): a seeded generator sends at least 100,000 frames
 * to the Yjs endpoint, malformed socket.io packets and events, and malformed JSON bodies to the
 * participant API's schema and domain function. The process never crashes, no promise rejection goes
 * unhandled, every refusal is a named close code or error, nothing malformed is stored, and a normal
 * provider keeps working throughout.
 *
 * CI runs a fixed seed; `npx tsx scripts/fuzz.ts --frames 1000000 --seed N` runs longer
 * (docs/robustness.md). FUZZ_SEED and FUZZ_FRAMES override the seed and the count here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import * as Y from 'yjs';
import { migrateDocument } from '../../src/lib/meeting/migrate.js';
import { NewMeeting, NewParticipant, participantRoles } from '../../src/lib/protocol/participants.js';
import { apiError, readJson } from '../../src/lib/server/http.js';
import { DomainError } from '../../server/errors.js';
import { maxAwarenessClientsPerPeer } from '../../server/yjs/presence-ownership.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { synced } from '../helpers/yjs-client.js';
import { fuzzSocketIo, fuzzYjs, verifyStored } from './fuzzing.js';
import { Clients, connectSocket, prng, removeDir, signedInMeeting, waitUntil } from './support.js';

const seed = Number(process.env.FUZZ_SEED ?? 20_260_808);
const frames = Number(process.env.FUZZ_FRAMES ?? 100_000);
const maxMessageBytes = 64 * 1024;

let srv: TestServer;
const clients = new Clients(() => srv.yjsUrl);
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
	process.on('unhandledRejection', onUnhandled);
	srv = await startServer({
		maxMessageBytes,
		// The fuzz is about what a frame says, not how often: per-connection rates are the faults suite's.
		rateMessagesPerSecond: 1_000_000,
		rateBurst: 1_000_000,
		rateRequestsPerSecond: 1_000_000,
		rateRequestBurst: 1_000_000,
		rateAnswerBytesPerSecond: 1024 ** 4,
		rateAnswerBurstBytes: 1024 ** 4,
		unloadDelayMs: 100,
		compactAfterUpdates: 200
	});
});

afterAll(async () => {
	process.off('unhandledRejection', onUnhandled);
	clients.destroyAll();
	await srv?.close();
	if (srv) removeDir(srv.dataDir);
});

/** A stock provider that edits its own root ten times a second, and one that watches it. */
function normalPair(meetingId: string) {
	const editor = clients.connect(meetingId);
	const watcher = clients.connect(meetingId);
	const closes: string[] = [];
	for (const [name, provider] of [
		['editor', editor.provider],
		['watcher', watcher.provider]
	] as const) {
		provider.on('connection-close', (event) => closes.push(`${name}: ${event?.code ?? 'local'}`));
	}
	const sentAt = new Map<string, number>();
	const latencies: number[] = [];
	const seen = new Set<string>();
	watcher.doc.getMap<number>('normalProvider').observe((event) => {
		for (const key of event.keysChanged) {
			if (seen.has(key) || !sentAt.has(key)) continue;
			seen.add(key);
			latencies.push(performance.now() - sentAt.get(key)!);
		}
	});
	let n = 0;
	let timer: NodeJS.Timeout | undefined;
	return {
		editor,
		watcher,
		closes,
		latencies,
		start() {
			timer = setInterval(() => {
				const key = `muokkaus-${++n}`;
				sentAt.set(key, performance.now());
				editor.doc.getMap<number>('normalProvider').set(key, n);
			}, 100);
		},
		stop() {
			clearInterval(timer);
			return [...sentAt.keys()];
		},
		seen
	};
}

const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] ?? 0;

describe('hostile input', () => {
	it(`${frames.toLocaleString('en')} generated frames on the Yjs endpoint: named refusals only, nothing malformed stored, a normal provider keeps working`, async () => {
		// One meeting per fuzzing connection, so that each one's relays do not multiply; the normal
		// pair shares the first meeting with a fuzzing connection and receives everything it gets in.
		const { meeting, coordinator } = await signedInMeeting(srv.app, clients, 'Fuzz: Väinö Äyräpää');
		const meetingIds = [meeting.id];
		for (const title of ['Fuzz: Åsa Öberg', 'Fuzz: Eero Mäkelä', 'Fuzz: Päivi Östman']) {
			const { id } = srv.app.participation.create(coordinator.principal, { title, scheduledAt: '', place: '', remoteLink: '', language: 'fi' });
			clients.signIn(id, coordinator.cookie);
			meetingIds.push(id);
		}
		const normal = normalPair(meeting.id);
		await Promise.all([synced(normal.editor.provider), synced(normal.watcher.provider)]);
		normal.start();

		const started = performance.now();
		const cpu = process.cpuUsage();
		const report = await fuzzYjs({
			urls: meetingIds.map((id) => `${srv.yjsUrl}/${id}`),
			cookie: coordinator.cookie,
			frames,
			seed,
			maxMessageBytes
		});
		const seconds = (performance.now() - started) / 1000;
		const { user, system } = process.cpuUsage(cpu);
		const sent = normal.stop();
		console.info(
			`fuzz: ${report.frames} frames in ${report.runs} runs over ${report.connections} connections, ` +
				`${seconds.toFixed(1)} s (${((user + system) / 1e6).toFixed(1)} s of CPU, server and clients); ` +
				`normal provider latency p50 ${quantile(normal.latencies, 0.5).toFixed(1)} ms, max ${Math.max(...normal.latencies).toFixed(0)} ms\n` +
				Object.entries(report.hostile)
					.map(([kind, { sent: n, verdicts }]) => `  ${kind}: ${n} → ${JSON.stringify(verdicts)}`)
					.join('\n')
		);

		expect(report.failures).toEqual([]);
		expect(unhandled).toEqual([]);
		expect(report.frames).toBeGreaterThanOrEqual(frames);
		// Every kind of hostile frame was sent (the refused ones were refused by name: no failures).
		expect(Object.keys(report.hostile).length).toBe(16);

		// The normal pair never noticed: no close, every edit arrived.
		await waitUntil(() => normal.seen.size === sent.length, 15_000);
		expect(normal.closes).toEqual([]);

		const rebuilt = new Map<string, Y.Doc>();
		for (const id of meetingIds) {
			// Presence is bounded: the fuzzing connections are gone, and so are the clients they spoke for
			// (a meeting without the normal pair may have unloaded already, presence and all).
			const live = srv.app.documents.get(id);
			if (live) {
				const expected = id === meeting.id ? 2 : 0;
				await waitUntil(() => live.awareness.getStates().size === expected, 5_000).catch(() => {
					throw new Error(`presence left behind in ${id}: ${JSON.stringify([...live.awareness.getStates()])}`);
				});
				expect(live.awareness.meta.size).toBeLessThanOrEqual((report.connections + 2) * maxAwarenessClientsPerPeer);
			}

			// Every stored row is an update Yjs reads, together they are the live document, and the
			// plan's readers cope with whatever types landed where the model expects others.
			const { problems, doc } = await verifyStored(srv.app, id);
			expect(problems).toEqual([]);
			rebuilt.set(id, doc);
		}
		expect(rebuilt.get(meeting.id)!.getMap('normalProvider').size).toBe(sent.length);

		// Every meeting unloads and loads again from what was stored.
		clients.destroyAll();
		await waitUntil(() => meetingIds.every((id) => srv.app.documents.get(id) === undefined));
		for (const id of meetingIds) {
			const again = await clients.connectSynced(id);
			// Everything stored is back. Loading may add one writer: the server's migration to the current
			// layout (src/lib/meeting/migrate.ts), when hostile frames left goals or perspectives of v1.
			const stored = Y.decodeStateVector(Y.encodeStateVector(rebuilt.get(id)!));
			const loaded = Y.decodeStateVector(Y.encodeStateVector(again.doc));
			for (const [client, clock] of stored) expect(loaded.get(client), `client ${client} in ${id}`).toBe(clock);
			expect(loaded.size - stored.size).toBeLessThanOrEqual(1);
			expect(migrateDocument(again.doc)).toBe(false);
			if (id === meeting.id) expect(again.doc.getMap('normalProvider').size).toBe(sent.length);
		}
	}, 600_000);

	it('malformed socket.io packets and events: an ack with a named error, or the connection closed; never a crash', async () => {
		const { meeting, coordinator } = await signedInMeeting(srv.app, clients, 'Fuzz: Åsa Öberg');
		const random = prng(seed ^ 0x50c4e7);
		const report = await fuzzSocketIo(srv.url, coordinator.cookie, meeting.id, random, 2000);
		console.info(`socket.io fuzz: ${report.packets} packets over ${report.connections} connections; acks ${JSON.stringify(report.ackCodes)}`);
		expect(report.failures).toEqual([]);
		expect(unhandled).toEqual([]);
		expect(report.packets).toBeGreaterThanOrEqual(2000);

		// Still serving: a well-behaved client joins, raises a hand, and sees it in the room's state.
		const socket = await connectSocket(srv.url, coordinator.cookie);
		try {
			expect(await socket.emitWithAck('meeting:join', { meetingId: meeting.id })).toMatchObject({ ok: true });
			const states: unknown[] = [];
			socket.on('room:state', (state) => states.push(state));
			expect(await socket.emitWithAck('room:hand', { meetingId: meeting.id, raised: true })).toEqual({ ok: true });
			await waitUntil(() => states.length > 0);
		} finally {
			socket.disconnect();
		}
		expect((await fetch(`${srv.url}/healthz`)).status).toBe(200);
	}, 120_000);

	it('malformed participant and meeting bodies: refused with the issues, or stored whole; never a 500', async () => {
		const { meeting, coordinator } = await signedInMeeting(srv.app, clients, 'Fuzz: Päivi Östman');
		const random = prng(seed ^ 0xb0d1e5);
		const before = srv.app.participants.list(meeting.id).length;
		let created = 0;
		const statuses: Record<number, number> = {};
		for (let i = 0; i < 2000; i++) {
			const body = randomBody(random);
			const schema = i % 4 === 3 ? NewMeeting : NewParticipant;
			const request = new Request('http://verkosto.test/api', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
			let status: number;
			try {
				// What the SvelteKit routes do: read and validate the body, call the domain, map refusals.
				const input = await readJson(request, schema);
				if (schema === NewParticipant) srv.app.participation.addParticipant(coordinator.principal, meeting.id, input as v.InferOutput<typeof NewParticipant>);
				else srv.app.participation.create(coordinator.principal, input as v.InferOutput<typeof NewMeeting>);
				status = 201;
				created++;
			} catch (cause) {
				// apiError rethrows anything that is not a DomainError: that would be a 500.
				const response = apiError(cause);
				status = response.status;
				const payload = (await response.json()) as { error: { code: string; message: string } };
				expect(cause).toBeInstanceOf(DomainError);
				expect(payload.error.message.length).toBeGreaterThan(0);
			}
			statuses[status] = (statuses[status] ?? 0) + 1;
		}
		console.info(`API bodies: ${JSON.stringify(statuses)}`);
		expect(Object.keys(statuses).every((s) => ['201', '400', '409', '422'].includes(s))).toBe(true);
		expect(statuses[400]).toBeGreaterThan(500);

		// What was stored is what the schema allows, and nothing else.
		const participants = srv.app.participants.list(meeting.id);
		expect(participants.length).toBeLessThanOrEqual(before + created);
		for (const p of participants) {
			expect(participantRoles).toContain(p.role);
			expect(p.name.trim().length).toBeGreaterThan(0);
			expect(p.name.length).toBeLessThanOrEqual(100);
			expect(['room', 'remote']).toContain(p.presence);
			expect(['edit', 'view']).toContain(p.access);
		}
		// No body reached Object.prototype.
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(unhandled).toEqual([]);
	});
});

// ─── JSON bodies ────────────────────────────────────────────────────────────────────────────────

/** A request body: mostly JSON objects with the right field names and wrong values, some not JSON at all. */
function randomBody(random: () => number): string {
	const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
	const r = random();
	if (r < 0.1) return pick(['', '{', '{"name":', 'null', '[]', '"x"', '42', 'true', '{"name":"Åsa",}', '\u0000', '{}'.repeat(3)]);
	if (r < 0.15) return '['.repeat(5000) + ']'.repeat(5000);
	if (r < 0.2) return `{"__proto__":{"polluted":true},"name":"Åsa","role":"nurse","presence":"room","access":"edit"}`;
	const value = () =>
		pick<unknown>([
			'Åsa Öhman',
			'',
			'   ',
			'x'.repeat(101),
			'x'.repeat(100),
			'\u0000',
			'<img src=x onerror=alert(1)>',
			42,
			null,
			true,
			[],
			{},
			['nurse'],
			'nurse',
			'client',
			'room',
			'edit',
			'view',
			'fi',
			'javascript:alert(1)',
			'https://meet.example.fi/abc',
			'2026-02-30T25:61',
			'2026-03-01T10:00',
			'1970-01-01T00:00:00Z'
		]);
	const fields = ['name', 'role', 'organisation', 'presence', 'access', 'userId', 'title', 'scheduledAt', 'place', 'remoteLink', 'language', 'extra'];
	const body: Record<string, unknown> = {};
	for (const field of fields) if (random() < 0.7) body[field] = value();
	if (random() < 0.5) Object.assign(body, { name: 'Björn Ålander', role: pick(['nurse', 'kela', 'client', 'doctor']), presence: 'room', access: 'edit', title: 'Verkostotapaaminen' });
	return JSON.stringify(body);
}
