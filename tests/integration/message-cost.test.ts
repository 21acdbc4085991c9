/**
 * Every message has a bounded cost (issue 20, item 1), against the real server in a child process:
 * a view-only guest floods each cheap message type at a meeting with a multi-megabyte document
 * (or megabytes of presence), while the edits of another meeting are timed. Their latency stays
 * in its normal range, measured first in the same test, and the flooder is closed by name.
 *
 * Before the fix, each sync step 1 encoded the whole document again (1,000 four-byte frames were
 * 14.5 s of CPU, every meeting stalled) and each awareness query every presence state.
 */
import * as encoding from 'lib0/encoding';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../src/lib/protocol/close-codes.js';
import { MessageType, SyncMessageType } from '../../src/lib/protocol/yjs-messages.js';
import { clientVoice } from '../../src/lib/meeting/document.js';
import { guest, meetingWithCoordinator } from '../helpers/people.js';
import { tempDataDir } from '../helpers/server.js';
import {
	Clients,
	connectSocket,
	openRaw,
	removeDir,
	startChild,
	waitUntil,
	withAppOn,
	type ChildServer,
	type RawPeer,
	type RealtimeSocket,
	awarenessFrame,
	updateFrame
} from './support.js';

// A loaded 2-core machine: the suite's timings are generous, its bounds relative to a baseline.
const testTimeoutMs = 180_000;

let dataDir: string;
let child: ChildServer;
let bigMeetingId: string;
let otherMeetingId: string;
let coordinatorCookie: string;
let viewerCookie: string;
let documentBytes: number;
let clients: Clients;
const peers: RawPeer[] = [];
const sockets: RealtimeSocket[] = [];

/** About 3 MB in 12,000 map entries: encoding it is real work (each entry is its own item). */
function bigDocument(): Uint8Array {
	const doc = new Y.Doc();
	const questions = doc.getMap<string>('openQuestions');
	doc.transact(() => {
		for (let i = 0; i < 12_000; i++) questions.set(`kysymys-${i}`, `Äijälä ja Sjöström kysyvät, Åsa vastaa: ${'ö'.repeat(200)} ${i}`);
	});
	return Y.encodeStateAsUpdate(doc);
}

beforeAll(async () => {
	dataDir = tempDataDir('verkosto-cost-');
	const update = bigDocument();
	documentBytes = update.byteLength;
	await withAppOn(dataDir, async (app) => {
		const { meeting, coordinator } = await meetingWithCoordinator(app, 'Iso asiakirja: Äijälä');
		bigMeetingId = meeting.id;
		coordinatorCookie = coordinator.cookie;
		otherMeetingId = app.participation.create(coordinator.principal, {
			title: 'Toinen tapaaminen: Sjöström',
			scheduledAt: '',
			place: '',
			remoteLink: '',
			language: 'fi'
		}).id;
		viewerCookie = (await guest(app, meeting.id, coordinator, { role: 'kela', access: 'view', name: 'Åsa Katsoja' })).cookie;
		await app.store.append(meeting.id, update);
	});
	child = await startChild(dataDir);
	clients = new Clients(() => child.yjsUrl);
	clients.signIn(otherMeetingId, coordinatorCookie);
}, testTimeoutMs);

afterEach(() => {
	clients.destroyAll();
	for (const peer of peers.splice(0)) peer.ws.terminate();
	for (const socket of sockets.splice(0)) socket.disconnect();
});

afterAll(async () => {
	child?.process.kill('SIGKILL');
	await child?.exited;
	removeDir(dataDir);
});

const p95 = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.ceil(samples.length * 0.95) - 1]!;

/** Two editors of the other meeting: one types, the time until the other sees it is one sample. */
async function otherMeetingEditors() {
	const a = await clients.connectSynced(otherMeetingId);
	const b = await clients.connectSynced(otherMeetingId);
	return async (count: number): Promise<number[]> => {
		const samples: number[] = [];
		for (let i = 0; i < count; i++) {
			const seen = clientVoice(b.doc).length;
			const started = performance.now();
			clientVoice(a.doc).insert(clientVoice(a.doc).length, 'å');
			await waitUntil(() => clientVoice(b.doc).length > seen, 60_000);
			samples.push(performance.now() - started);
		}
		return samples;
	};
}

/**
 * The bound: generous for a loaded 2-core machine shared with other work (three times the
 * baseline's p95 plus 50 ms; p95 of 40 samples is their third largest, and one scheduling hiccup
 * lands there), yet below what one re-encoding of the document per request costs: before the fix
 * the sync step 1 and query floods stalled the other meeting for over a minute, and the snapshot
 * flood put its p95 at five times the baseline.
 */
function expectNormalLatency(baseline: number[], during: number[]): void {
	expect(p95(during), `edit latency p95 during the flood (baseline p95 ${p95(baseline).toFixed(1)} ms)`).toBeLessThan(
		p95(baseline) * 3 + 50
	);
}

/** The view-only guest on the big meeting, once the server has greeted it (the document is loaded). */
async function viewer(): Promise<RawPeer> {
	const peer = await openRaw(`${child.yjsUrl}/${bigMeetingId}`, viewerCookie);
	peers.push(peer);
	await waitUntil(() => peer.received.length > 0 || peer.isClosed(), 60_000);
	expect(peer.isClosed()).toBe(false);
	return peer;
}

function syncStep1Frame(stateVector: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.Sync);
	encoding.writeVarUint(encoder, SyncMessageType.Step1);
	encoding.writeVarUint8Array(encoder, stateVector);
	return encoding.toUint8Array(encoder);
}

/** Sends every frame at once, then times the other meeting's edits; resolves with how the flooder was closed. */
async function floodWhileTiming(peer: RawPeer, frames: Uint8Array[], time: (count: number) => Promise<number[]>) {
	for (const frame of frames) peer.ws.send(frame);
	const during = await time(40);
	let timer: NodeJS.Timeout | undefined;
	const closed = await Promise.race([peer.closed, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), 30_000)))]);
	clearTimeout(timer);
	return { during, closed };
}

describe('a flood of cheap messages from a view-only guest, against a multi-megabyte document', () => {
	it(
		'sync step 1 (1,000 four-byte frames and fresh state vectors): the full state is encoded once, the flooder is closed with 4429, other meetings keep their pace',
		async () => {
			expect(documentBytes).toBeGreaterThan(2 * 1024 * 1024);
			const time = await otherMeetingEditors();
			const flooder = await viewer();
			const baseline = await time(40);
			const empty = syncStep1Frame(Y.encodeStateVector(new Y.Doc()));
			const frames = Array.from({ length: 1000 }, (_, i) =>
				// Every tenth asks with a state vector of its own: a diff that no cache holds.
				i % 10 === 9 ? syncStep1Frame(Y.encodeStateVector(docWithClient(i))) : empty
			);
			const { during, closed } = await floodWhileTiming(flooder, frames, time);
			expect(closed).toMatchObject({ code: CloseCode.RateLimited });
			// It got its document, and not a thousand times.
			const answers = flooder.received.filter((m) => m[0] === MessageType.Sync && m[1] === SyncMessageType.Step2);
			expect(answers.length).toBeGreaterThanOrEqual(1);
			expect(answers.length).toBeLessThan(10);
			expectNormalLatency(baseline, during);
		},
		testTimeoutMs
	);

	it(
		'awareness query (300 one-byte frames) against 8 × 400 KiB of presence: closed with 4429, other meetings keep their pace',
		async () => {
			const time = await otherMeetingEditors();
			// Eight editors' connections, each with a large presence state.
			for (let i = 0; i < 8; i++) {
				const writer = await openRaw(`${child.yjsUrl}/${bigMeetingId}`, coordinatorCookie);
				peers.push(writer);
				writer.ws.send(awarenessFrame([1000 + i, 1, { cursor: 'ä'.repeat(200 * 1024) }]));
			}
			const flooder = await viewer();
			// It reads the eight states (about 3.2 MB) in its greeting, or as relays of the writers' frames
			// the server had not applied yet when it joined: wait until it has read them all.
			const awarenessBytes = () =>
				flooder.received.filter((m) => m[0] === MessageType.Awareness).reduce((sum, m) => sum + m.byteLength, 0);
			await waitUntil(() => awarenessBytes() > 3_000_000, 60_000);
			const baseline = await time(40);
			const frames = Array.from({ length: 300 }, () => Uint8Array.of(MessageType.QueryAwareness));
			const { during, closed } = await floodWhileTiming(flooder, frames, time);
			expect(closed).toMatchObject({ code: CloseCode.RateLimited });
			expectNormalLatency(baseline, during);
		},
		testTimeoutMs
	);

	it(
		'awareness updates (300 frames): dropped (view-only) but counted, closed with 4429',
		async () => {
			const time = await otherMeetingEditors();
			const flooder = await viewer();
			const baseline = await time(40);
			const frames = Array.from({ length: 300 }, (_, i) => awarenessFrame([4242, i + 1, { cursor: { at: i } }]));
			const { during, closed } = await floodWhileTiming(flooder, frames, time);
			expect(closed).toMatchObject({ code: CloseCode.RateLimited });
			expectNormalLatency(baseline, during);
		},
		testTimeoutMs
	);

	it(
		'updates (300 frames): dropped (view-only) but counted, closed with 4429; nothing of them is stored',
		async () => {
			const time = await otherMeetingEditors();
			const flooder = await viewer();
			const baseline = await time(40);
			const flood = new Y.Doc();
			const frames: Uint8Array[] = [];
			flood.on('update', (update: Uint8Array) => frames.push(updateFrame(update)));
			for (let i = 0; i < 300; i++) flood.getMap<number>('openQuestions').set(`tulva-${i}`, i);
			const { during, closed } = await floodWhileTiming(flooder, frames, time);
			expect(closed).toMatchObject({ code: CloseCode.RateLimited });
			expectNormalLatency(baseline, during);
		},
		testTimeoutMs
	);

	it(
		'socket.io events (doc:snapshot and room:hand, 300 each): refused as rate_limited, then disconnected; other meetings keep their pace',
		async () => {
			const time = await otherMeetingEditors();
			// The Yjs connection keeps the big document loaded, so each snapshot is of it.
			await viewer();
			const socket = await connectSocket(child.url, viewerCookie);
			sockets.push(socket);
			let disconnected = false;
			socket.on('disconnect', () => (disconnected = true));
			const baseline = await time(40);
			const refusals: string[] = [];
			for (let i = 0; i < 300; i++) {
				socket.emit('doc:snapshot', { meetingId: bigMeetingId }, (ack) => refusals.push(ack.ok ? 'ok' : ack.error.code));
				socket.emit('room:hand', { meetingId: bigMeetingId, raised: i % 2 === 0 }, (ack) => refusals.push(ack.ok ? 'ok' : ack.error.code));
			}
			const during = await time(40);
			await waitUntil(() => disconnected, 30_000);
			expect(refusals.filter((code) => code === 'rate_limited').length).toBeGreaterThan(0);
			expectNormalLatency(baseline, during);
		},
		testTimeoutMs
	);
});

/** A document whose state vector names one client the server has never seen. */
function docWithClient(seed: number): Y.Doc {
	const doc = new Y.Doc();
	doc.clientID = 900_000 + seed;
	doc.getMap('meta').set('x', seed);
	return doc;
}
