/**
 * Small tools shared by the integration suites: raw websocket peers, the real server as a child
 * process, what is stored of a document, and whether one Yjs state contains another.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as encoding from 'lib0/encoding';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import * as syncProtocol from 'y-protocols/sync';
import { afterAll, afterEach, beforeAll } from 'vitest';
import * as Y from 'yjs';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/lib/protocol/events.js';
import { MessageType, SyncMessageType } from '../../src/lib/protocol/yjs-messages.js';
import { App } from '../../server/app.js';
import { configFrom } from '../../server/config.js';
import type { Db } from '../../server/db/database.js';
import { createLogger } from '../../server/log.js';
import type { Config } from '../../server/config.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { meetingWithCoordinator, type Account } from '../helpers/people.js';
import { connectProvider, synced } from '../helpers/yjs-client.js';

/** mulberry32: a tiny seeded PRNG, so random inputs are the same on every run. */
export function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export interface Closed {
	code: number;
	reason: string;
}

/** A raw `ws` peer on a meeting's Yjs endpoint, recording what it receives and how it was closed. */
export interface RawPeer {
	ws: WebSocket;
	received: Uint8Array[];
	closed: Promise<Closed>;
	isClosed(): boolean;
}

/** `cookie`: the session to connect with; without one the server closes with 4401 at once. */
export async function openRaw(url: string, cookie?: string): Promise<RawPeer> {
	const ws = new WebSocket(url, cookie ? { headers: { cookie } } : {});
	const received: Uint8Array[] = [];
	ws.on('message', (data: Buffer) => received.push(new Uint8Array(data)));
	let isClosed = false;
	const closed = new Promise<Closed>((resolve) =>
		ws.once('close', (code, reason) => {
			isClosed = true;
			resolve({ code, reason: reason.toString() });
		})
	);
	// A refused connection may close before or right after it opens; both are answers.
	ws.on('error', () => {});
	await Promise.race([new Promise((resolve) => ws.once('open', resolve)), closed]);
	return { ws, received, closed, isClosed: () => isClosed };
}

/** What became of a frame: the server closed the connection, or it kept the connection open. */
export type Outcome = Closed | { code: 'open' };

/**
 * Opens a raw peer, waits for the server's greeting (sync step 1), sends `frame`, then asks for
 * awareness (query awareness). Messages are handled in order, so an answer to the query means
 * the server handled `frame` without closing; the peer then leaves.
 */
export async function probe(url: string, frame: Uint8Array | string, cookie?: string): Promise<Outcome> {
	const peer = await openRaw(url, cookie);
	await waitUntil(() => peer.received.length > 0 || peer.isClosed());
	if (peer.isClosed()) return peer.closed;
	peer.ws.send(frame, { binary: typeof frame !== 'string' });
	const seen = peer.received.length;
	peer.ws.send(Uint8Array.of(3));
	await waitUntil(() => peer.isClosed() || peer.received.slice(seen).some((message) => message[0] === 1));
	if (peer.isClosed()) return peer.closed;
	peer.ws.close();
	await peer.closed;
	return { code: 'open' };
}

/** Resolves once `condition` holds, checking on every turn of the event loop (for sub-millisecond windows). */
export function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	return new Promise((resolve, reject) => {
		const check = () => {
			if (condition()) resolve();
			else if (Date.now() > deadline) reject(new Error(`condition not met within ${timeoutMs} ms: ${condition}`));
			else setImmediate(check);
		};
		check();
	});
}

/**
 * Tracks stock providers so that every test can destroy all of its clients, whatever happened.
 * Every Yjs connection needs a session: each meeting's clients connect with the cookie registered
 * for it (`signIn`), unless a call names its own.
 */
export class Clients {
	readonly #providers = new Set<WebsocketProvider>();
	readonly #cookies = new Map<string, string>();

	constructor(private readonly baseUrl: () => string) {}

	/** From now on, clients of `meetingId` connect with this session cookie. */
	signIn(meetingId: string, cookie: string): void {
		this.#cookies.set(meetingId, cookie);
	}

	connect(meetingId: string, doc = new Y.Doc(), options: { connect?: boolean; cookie?: string } = {}) {
		const client = connectProvider(this.baseUrl(), meetingId, doc, {
			connect: options.connect,
			cookie: options.cookie ?? this.#cookies.get(meetingId)
		});
		this.#providers.add(client.provider);
		return client;
	}

	async connectSynced(meetingId: string, doc = new Y.Doc(), options: { cookie?: string } = {}) {
		const client = this.connect(meetingId, doc, options);
		await synced(client.provider);
		return client;
	}

	destroy(provider: WebsocketProvider): void {
		provider.destroy();
		this.#providers.delete(provider);
	}

	destroyAll(): void {
		for (const provider of this.#providers) provider.destroy();
		this.#providers.clear();
	}
}

/** A stock provider that the server let in (synced), or the close code it refused it with. */
export type Admission = { synced: true; doc: Y.Doc; provider: WebsocketProvider } | { synced: false; code: number };

/**
 * Connects a stock provider with `cookie` and resolves once it either synced or was closed before
 * syncing (then it is destroyed at once: 44xx codes are permanent for the stock provider anyway).
 */
export function admit(clients: Clients, meetingId: string, cookie: string | undefined): Promise<Admission> {
	const { doc, provider } = clients.connect(meetingId, new Y.Doc(), { cookie });
	return new Promise((resolve) => {
		provider.on('connection-close', (event) => {
			if (provider.synced || !event) return;
			clients.destroy(provider);
			resolve({ synced: false, code: event.code });
		});
		void synced(provider).then(() => resolve({ synced: true, doc, provider }));
	});
}

/**
 * Resolves once the server has handled everything this provider sent so far, and everything the
 * server relayed to it before that has arrived: the server handles a peer's messages in order, in
 * one queue per document, so its answer to a sync step 1 (a step 2) comes after all of it.
 */
export function handled(provider: WebsocketProvider): Promise<void> {
	const ws = provider.ws;
	if (!ws) return Promise.reject(new Error('the provider is not connected'));
	return new Promise((resolve, reject) => {
		const onMessage = (event: { data: unknown }) => {
			const bytes = new Uint8Array(event.data as ArrayBuffer);
			if (bytes[0] === 0 && bytes[1] === syncProtocol.messageYjsSyncStep2) {
				ws.removeEventListener('message', onMessage);
				resolve();
			}
		};
		ws.addEventListener('message', onMessage);
		ws.addEventListener('close', () => reject(new Error('closed before the server answered')));
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 0);
		syncProtocol.writeSyncStep1(encoder, provider.doc);
		ws.send(encoding.toUint8Array(encoder));
	});
}

/** `handled` for a raw peer (one that never sent a sync step 1 before). */
export async function rawHandled(peer: RawPeer): Promise<void> {
	const seen = peer.received.length;
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0);
	syncProtocol.writeSyncStep1(encoder, new Y.Doc());
	peer.ws.send(encoding.toUint8Array(encoder));
	await waitUntil(
		() => peer.isClosed() || peer.received.slice(seen).some((m) => m[0] === 0 && m[1] === syncProtocol.messageYjsSyncStep2)
	);
	if (peer.isClosed()) throw new Error(`closed before the server answered: ${JSON.stringify(await peer.closed)}`);
}

export type RealtimeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A socket.io client in Node, sending the session cookie (if any) as a browser would; resolves once connected. */
export async function connectSocket(url: string, cookie: string | undefined): Promise<RealtimeSocket> {
	const socket: RealtimeSocket = io(url, {
		path: '/socket.io',
		reconnection: false,
		transports: ['websocket'],
		...(cookie ? { extraHeaders: { cookie } } : {})
	});
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('connect_error', reject);
	});
	return socket;
}

/** Everything stored of one meeting's document, byte for byte. */
export interface StoredRows {
	snapshot: Buffer | null;
	updates: { id: number; data: Buffer }[];
}

export function storedRows(db: Db, meetingId: string): StoredRows {
	const snapshot = db
		.prepare<[string], { data: Buffer }>('SELECT data FROM yjs_snapshots WHERE meeting_id = ?')
		.get(meetingId);
	const updates = db
		.prepare<[string], { id: number; data: Buffer }>('SELECT id, data FROM yjs_updates WHERE meeting_id = ? ORDER BY id')
		.all(meetingId);
	return { snapshot: snapshot?.data ?? null, updates };
}

export function updateLogLength(db: Db, meetingId?: string): number {
	if (meetingId === undefined) {
		return db.prepare<[], { n: number }>('SELECT count(*) AS n FROM yjs_updates').get()!.n;
	}
	return db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM yjs_updates WHERE meeting_id = ?').get(meetingId)!
		.n;
}

/** The document that the stored rows describe, built the way the server loads it. */
export function docFromRows(rows: StoredRows): Y.Doc {
	const doc = new Y.Doc();
	if (rows.snapshot) Y.applyUpdate(doc, rows.snapshot);
	for (const row of rows.updates) Y.applyUpdate(doc, row.data);
	return doc;
}

/**
 * True when `doc` already holds everything in `seen`: applying `seen` to a copy of `doc` adds no
 * insertion (state vector unchanged) and no deletion (content unchanged).
 */
export function contains(doc: Y.Doc, seen: Uint8Array): boolean {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	const before = { sv: Y.encodeStateVector(copy), json: JSON.stringify(copy.toJSON()) };
	Y.applyUpdate(copy, seen);
	return (
		Buffer.from(Y.encodeStateVector(copy)).equals(Buffer.from(before.sv)) &&
		JSON.stringify(copy.toJSON()) === before.json
	);
}

export const stateVectorOf = (doc: Y.Doc) => Buffer.from(Y.encodeStateVector(doc)).toString('base64');

/** A meeting on a running server whose `clients` connect as its (signed-in) coordinator. */
export async function signedInMeeting(app: App, clients: Clients, title: string) {
	const { meeting, coordinator } = await meetingWithCoordinator(app, title);
	clients.signIn(meeting.id, coordinator.cookie);
	return { meeting, coordinator };
}

/**
 * Runs `work` against an App on `dataDir` that serves nothing and is closed afterwards: for creating
 * accounts, meetings and sessions before a child server starts on the same folder. Sessions live in
 * SQLite, so a cookie made here works against the child.
 */
export async function withAppOn<T>(dataDir: string, work: (app: App) => Promise<T> | T): Promise<T> {
	const app = new App(configFrom({}, { dataDir, logLevel: 'silent' }), createLogger('silent'));
	try {
		return await work(app);
	} finally {
		await app.close();
	}
}

/** Meetings of one signed-in coordinator, created in `dataDir` before a child server opens it. */
export function seedMeetings(dataDir: string, titles: string[]): Promise<{ meetingIds: string[]; coordinator: Account }> {
	return withAppOn(dataDir, async (app) => {
		const [first, ...rest] = titles;
		const { meeting, coordinator } = await meetingWithCoordinator(app, first);
		const others = rest.map(
			(title) => app.participation.create(coordinator.principal, { title, scheduledAt: '', place: '', remoteLink: '', language: 'fi' }).id
		);
		return { meetingIds: [meeting.id, ...others], coordinator };
	});
}

/** The real server (tests/helpers/child-server.ts) as a child process, for kill -9 and SIGTERM. */
export interface ChildServer {
	process: ChildProcess;
	port: number;
	yjsUrl: string;
	url: string;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	/** Whatever the child wrote to stderr, for the failure message. */
	stderr(): string;
}

const root = fileURLToPath(new URL('../..', import.meta.url));

export async function startChild(dataDir: string, env: Record<string, string> = {}): Promise<ChildServer> {
	const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/child-server.ts'], {
		cwd: root,
		env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let stderr = '';
	child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
		child.once('exit', (code, signal) => resolve({ code, signal }))
	);
	const lines = createInterface({ input: child.stdout! });
	const port = await new Promise<number>((resolve, reject) => {
		lines.on('line', (line) => {
			const match = /^LISTENING (\d+)$/.exec(line);
			if (match) resolve(Number(match[1]));
		});
		void exited.then(({ code, signal }) =>
			reject(new Error(`child server exited (${code ?? signal}) before listening:\n${stderr}`))
		);
	});
	return {
		process: child,
		port,
		url: `http://127.0.0.1:${port}`,
		yjsUrl: `ws://127.0.0.1:${port}/yjs`,
		exited,
		stderr: () => stderr
	};
}

/** kill -9, and wait until the process is gone. */
export async function killHard(child: ChildServer): Promise<void> {
	child.process.kill('SIGKILL');
	const { signal } = await child.exited;
	if (signal !== 'SIGKILL') throw new Error(`expected the child to die of SIGKILL, it exited with ${signal}`);
}

export function removeDir(dir: string): void {
	fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * One real server for a test file: started before its tests, closed with its data folder after them;
 * the stock providers and socket.io clients a test opened (in `clients`, `sockets`) close after it.
 */
export function serverForFile(overrides: Partial<Config> = {}): { readonly srv: TestServer; clients: Clients; sockets: RealtimeSocket[] } {
	let srv: TestServer | undefined;
	const clients = new Clients((): string => live.srv.yjsUrl);
	const sockets: RealtimeSocket[] = [];
	const live: { readonly srv: TestServer; clients: Clients; sockets: RealtimeSocket[] } = {
		get srv(): TestServer {
			if (!srv) throw new Error('The server starts in beforeAll: use it inside a test or a later hook.');
			return srv;
		},
		clients,
		sockets
	};
	beforeAll(async () => {
		srv = await startServer(overrides);
	});
	afterEach(() => {
		clients.destroyAll();
		for (const socket of sockets.splice(0)) socket.disconnect();
	});
	afterAll(async () => {
		await srv?.close();
		if (srv) removeDir(srv.dataDir);
	});
	return live;
}

/** An awareness frame as a raw peer would send it: `[clientId, clock, state]` entries; a null state is a removal. */
export function awarenessFrame(...entries: Array<[clientId: number, clock: number, state: unknown]>): Uint8Array {
	const update = encoding.createEncoder();
	encoding.writeVarUint(update, entries.length);
	for (const [clientId, clock, state] of entries) {
		encoding.writeVarUint(update, clientId);
		encoding.writeVarUint(update, clock);
		encoding.writeVarString(update, JSON.stringify(state));
	}
	const frame = encoding.createEncoder();
	encoding.writeVarUint(frame, MessageType.Awareness);
	encoding.writeVarUint8Array(frame, encoding.toUint8Array(update));
	return encoding.toUint8Array(frame);
}

/** A sync-protocol update frame carrying `update`, as a raw peer would send it. */
export function updateFrame(update: Uint8Array): Uint8Array {
	const frame = encoding.createEncoder();
	encoding.writeVarUint(frame, MessageType.Sync);
	encoding.writeVarUint(frame, SyncMessageType.Update);
	encoding.writeVarUint8Array(frame, update);
	return encoding.toUint8Array(frame);
}
