/**
 * Joining a meeting with a long history (issue 8): one meeting, H updates written through the server by M
 * participants, then the time a fresh client needs to connect and be synced, for each server.
 *
 * 1. A fresh server with one meeting; M writers connect (each its own Y.Doc, the server's real protocol,
 *    see wire.ts) and send H updates in all (one Y.Text insert each), 40 a second each: under Verkosto's
 *    per-connection limit of 60 (server/yjs/limits.ts), and the same pace for every server, so each gets
 *    the same history. Each update reaches the server's storage the way that server stores: Verkosto's
 *    update log, compacted as it compacts (after 500 updates and at unload); Hocuspocus's debounced whole-
 *    document store; the in-memory reference keeps it in memory.
 * 2. A checking client joins until it sees the whole history (the text's expected length): everything was
 *    received. Not counted.
 * 3. Warm joins: J fresh clients, one after another, while the writers are still connected (the document
 *    is in memory).
 * 4. The writers leave; the benchmark waits until the server has unloaded the document (Verkosto after its
 *    unload delay, 10 s by default; Hocuspocus at once). The reference keeps documents without
 *    persistence in memory for ever, so its "cold" join is from memory: stated in the report.
 * 5. Cold joins: J times, a fresh client joins, is timed, leaves, and the document is unloaded again.
 *
 * Each join is timed from just before the websocket is opened to (a) the arrival of sync step 2 (the
 * server's whole state) and (b) that state applied to a new Y.Doc and checked complete. The clock is the
 * benchmark's own `performance.now()`; the client is the same code for every server.
 */
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { sleep } from './load.js';
import { median } from './measure.js';
import type { BenchServer, RunningServer, StartOptions } from './servers.js';
import { Wire, messageSync, syncStep1, syncStep2, syncUpdate } from './wire.js';

export interface JoinOptions {
	historyUpdates: number;
	writers: number;
	joins: number;
	writesPerSecond: number;
	seed: number;
}

export interface JoinTiming {
	/** Connect to sync step 2 received, ms. */
	syncedMs: number;
	/** …and applied to a Y.Doc, ms. */
	appliedMs: number;
	/** Size of the sync step 2 payload (the whole document), bytes. */
	stateBytes: number;
	complete: boolean;
}

export interface JoinResult {
	serverKey: string;
	label: string;
	historyUpdates: number;
	writeSeconds: number;
	/** Time from the last write until a client saw the whole history. */
	settleSeconds: number;
	warm: JoinTiming[];
	cold: JoinTiming[];
	/** How the cold joins loaded: from storage after an unload, or from memory. */
	coldFrom: 'storage' | 'memory';
	/** Seconds the server took to unload the document after the last client left (median). */
	unloadSeconds: number;
	stateBytes: number;
	problems: Record<string, number>;
}

const words = ['sovittiin', 'tavoite', 'työkyky', 'seuraava', 'tapaaminen', 'kuntoutus', 'ok', 'kyllä', 'ei', 'huomio'];

/** mulberry32, as in load.ts. */
function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Opens a socket with the protocol's greeting and sync step 1, and calls `onSync` with each sync message. */
function openSocket(
	wire: Wire,
	cookie: string | undefined,
	stateVector: Uint8Array,
	onSync: (kind: number, payload: Uint8Array) => void,
	problems: Map<string, number>
): WebSocket {
	const problem = (kind: string) => problems.set(kind, (problems.get(kind) ?? 0) + 1);
	const ws = new WebSocket(wire.url, { perMessageDeflate: false, headers: cookie ? { cookie } : {} });
	ws.on('open', () => {
		for (const hello of wire.hello()) ws.send(hello);
		ws.send(wire.sync(syncStep1, stateVector));
	});
	ws.on('message', (data: Buffer) => {
		const frame = wire.open(data);
		if (!frame) return;
		if (frame.problem) return problem(frame.problem);
		if (frame.type !== messageSync) return;
		const kind = decoding.readVarUint(frame.decoder);
		onSync(kind, decoding.readVarUint8Array(frame.decoder));
	});
	ws.on('error', (error) => problem(`error ${error.message}`));
	ws.on('unexpected-response', (_request, response) => {
		problem(`HTTP ${response.statusCode} on upgrade`);
		ws.terminate();
	});
	return ws;
}

/** One participant writing history. */
class Writer {
	readonly doc = new Y.Doc();
	readonly #ws: WebSocket;
	readonly #wire: Wire;
	#synced = false;
	/** Characters this writer inserted. */
	inserted = 0;

	constructor(wire: Wire, cookie: string | undefined, problems: Map<string, number>) {
		this.#wire = wire;
		this.#ws = openSocket(
			wire,
			cookie,
			Y.encodeStateVector(this.doc),
			(kind, payload) => {
				if (kind === syncStep2) this.#synced = true;
				else if (kind === syncStep1) this.#ws.send(wire.sync(syncStep2, Y.encodeStateAsUpdate(this.doc, payload)));
			},
			problems
		);
		this.doc.on('update', (update: Uint8Array) => {
			if (this.#ws.readyState === WebSocket.OPEN) this.#ws.send(this.#wire.sync(syncUpdate, update));
		});
	}

	get synced(): boolean {
		return this.#synced;
	}

	get open(): boolean {
		return this.#ws.readyState === WebSocket.OPEN;
	}

	/** Writes `count` updates at `perSecond`. */
	async write(count: number, perSecond: number, random: () => number): Promise<void> {
		const text = this.doc.getText('notes');
		const started = performance.now();
		for (let i = 0; i < count; i++) {
			const due = started + (i * 1000) / perSecond;
			if (due > performance.now()) await sleep(due - performance.now());
			const word = `${words[Math.floor(random() * words.length)] ?? 'x'} `;
			text.insert(Math.floor(random() * (text.length + 1)), word);
			this.inserted += word.length;
		}
	}

	close(): void {
		this.#ws.close();
		this.doc.destroy();
	}
}

/** A fresh client joins, is timed until synced and applied, checks the text length, and leaves. */
async function timeJoin(wire: Wire, cookie: string | undefined, expectedLength: number, problems: Map<string, number>, timeoutMs = 60_000): Promise<JoinTiming> {
	const doc = new Y.Doc();
	const started = performance.now();
	let ws: WebSocket | undefined;
	try {
		return await new Promise<JoinTiming>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`no sync step 2 within ${timeoutMs} ms`)), timeoutMs);
			ws = openSocket(
				wire,
				cookie,
				Y.encodeStateVector(doc),
				(kind, payload) => {
					if (kind !== syncStep2) return;
					const syncedMs = performance.now() - started;
					Y.applyUpdate(doc, payload);
					const appliedMs = performance.now() - started;
					clearTimeout(timer);
					resolve({ syncedMs, appliedMs, stateBytes: payload.byteLength, complete: doc.getText('notes').length === expectedLength });
				},
				problems
			);
		});
	} finally {
		ws?.close();
		doc.destroy();
	}
}

async function waitUntil(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<number> {
	const started = performance.now();
	for (;;) {
		if (await check()) return (performance.now() - started) / 1000;
		if (performance.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
		await sleep(50);
	}
}

export async function runJoin(
	server: BenchServer,
	options: JoinOptions,
	start: Omit<StartOptions, 'meetings' | 'clients'>,
	log: (line: string) => void
): Promise<JoinResult> {
	const M = options.writers;
	const running: RunningServer = await server.start({ ...start, meetings: 1, clients: M + 1 });
	const problems = new Map<string, number>();
	const room = running.rooms[0] ?? '';
	const wire = new Wire(running.protocol, running.yjsBase, room);
	const cookies = running.cookies?.[0];
	const joinerCookie = cookies?.[M];
	const writers: Writer[] = [];
	try {
		for (let j = 0; j < M; j++) writers.push(new Writer(wire, cookies?.[j], problems));
		await waitUntil('writers synced', () => writers.every((w) => w.synced), 30_000);

		log(`  ${server.label}: writing ${options.historyUpdates} updates (${M} writers, ${options.writesPerSecond}/s each)`);
		const writeStarted = performance.now();
		const random = rng(options.seed);
		await Promise.all(
			writers.map((w, j) => {
				const share = Math.floor(options.historyUpdates / M) + (j < options.historyUpdates % M ? 1 : 0);
				return w.write(share, options.writesPerSecond, rng(options.seed * 7919 + j + Math.floor(random() * 1000)));
			})
		);
		const writeSeconds = (performance.now() - writeStarted) / 1000;
		if (!writers.every((w) => w.open)) throw new Error(`a writer was disconnected while writing (${[...problems.keys()].join(', ') || 'no reason seen'})`);
		const expected = writers.reduce((n, w) => n + w.inserted, 0);

		const settleStarted = performance.now();
		let seen: JoinTiming | undefined;
		await waitUntil('the whole history visible to a new client', async () => (seen = await timeJoin(wire, joinerCookie, expected, problems)).complete, 120_000);
		const settleSeconds = (performance.now() - settleStarted) / 1000;

		const warm: JoinTiming[] = [];
		for (let i = 0; i < options.joins; i++) warm.push(await timeJoin(wire, joinerCookie, expected, problems));

		for (const w of writers) w.close();
		writers.length = 0;
		const loaded = running.loadedDocuments?.bind(running);
		const unloads: number[] = [];
		const unload = async () => {
			if (loaded) unloads.push(await waitUntil('the document unloaded', async () => (await loaded()) === 0, 120_000));
		};
		await unload();
		const cold: JoinTiming[] = [];
		for (let i = 0; i < options.joins; i++) {
			cold.push(await timeJoin(wire, joinerCookie, expected, problems));
			await unload();
		}
		const result: JoinResult = {
			serverKey: server.key,
			label: server.label,
			historyUpdates: options.historyUpdates,
			writeSeconds,
			settleSeconds,
			warm,
			cold,
			coldFrom: loaded ? 'storage' : 'memory',
			unloadSeconds: median(unloads),
			stateBytes: seen?.stateBytes ?? NaN,
			problems: Object.fromEntries(problems)
		};
		const f = (t: JoinTiming[]) => `${median(t.map((x) => x.appliedMs)).toFixed(1)} ms`;
		log(
			`  ${server.label}: state ${result.stateBytes} bytes; join warm ${f(warm)}, cold (${result.coldFrom}) ${f(cold)}; ` +
				`complete ${[...warm, ...cold].every((t) => t.complete) ? 'every time' : 'NOT always'}`
		);
		return result;
	} finally {
		for (const w of writers) w.close();
		await running.stop();
	}
}
