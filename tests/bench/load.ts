/**
 * The load: K meetings × M clients in this process, each with its own Y.Doc. Each client edits about
 * once per interval: one transaction with a small Y.Text insert or Y.Map set, plus its send time in the
 * Y.Map `bench` under its client id. Every other client of the meeting records `performance.now() − sent`
 * when that entry arrives (same process, same clock). With awareness `edit`, each edit also moves the
 * client's cursor in its awareness state, time-stamped the same way.
 *
 * Two kinds of client, both on the server's real protocol over `ws`:
 * - `provider`: the stock y-websocket `WebsocketProvider` (ws polyfill, no BroadcastChannel), which
 *   applies every remote update to its Y.Doc and every awareness update to its Awareness, as an editor does.
 * - `light`: the same edits from a real Y.Doc and the same messages (sync step 1/2, update, awareness),
 *   framed as each server expects (y-websocket, or Hocuspocus's document-name prefix and authentication
 *   message: see wire.ts), but remote updates are only decoded (Y.decodeUpdate) to read the time stamp, never integrated, and
 *   awareness entries are only parsed. The server sees the same traffic; the load generator spends a
 *   fraction of the CPU, which matters when it shares two cores with the server under test.
 *
 * The schedule and the content come from a seeded generator, so every server gets the same load.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { Samples } from './measure.js';
import { Wire, messageAwareness, messageSync, syncStep1, syncStep2, syncUpdate, type WireProtocol } from './wire.js';

/** The ws client as the provider's WebSocket, sending a session cookie on the upgrade as a browser would. */
function webSocketWithCookie(cookie: string | undefined): typeof globalThis.WebSocket {
	if (!cookie) return WebSocket as unknown as typeof globalThis.WebSocket;
	class CookieWebSocket extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers: { cookie: cookie ?? '' } });
		}
	}
	return CookieWebSocket as unknown as typeof globalThis.WebSocket;
}

export type AwarenessMode = 'edit' | 'connect' | 'off';
export type ClientKind = 'provider' | 'light';

export interface LoadOptions {
	client: ClientKind;
	clientsPerMeeting: number;
	editIntervalMs: number;
	/** `edit`: state on connect and a cursor move with every edit; `connect`: state on connect only. */
	awareness: AwarenessMode;
	seed: number;
	/** Clients opened per batch while connecting, and the pause between batches. */
	connectBatch: number;
	connectPauseMs: number;
}

interface Stamp {
	/** Sender's edit (or cursor move) number. */
	s: number;
	/** Sender's performance.now() when it made the edit. */
	t: number;
}

/** mulberry32: small, fast, seeded. */
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

const words = ['sovittiin', 'tavoite', 'työkyky', 'seuraava', 'tapaaminen', 'kuntoutus', 'ok', 'kyllä', 'ei', 'huomio'];
const fields = ['status', 'next', 'owner', 'deadline', 'topic', 'note'];

/** What one measurement window collected. */
export class WindowStats {
	readonly start: number;
	readonly end: number;
	readonly editLatency = new Samples();
	readonly awarenessLatency = new Samples();
	/** Edits made inside the window; each should reach M−1 peers. */
	editsSent = 0;
	awarenessSent = 0;
	/** (edit, receiving peer) pairs observed for edits made inside the window. */
	editsDelivered = 0;
	awarenessDelivered = 0;
	/** Client connections closed while the window was open or draining (none expected). */
	disconnects = 0;

	constructor(start: number, end: number) {
		this.start = start;
		this.end = end;
	}

	inside(t: number): boolean {
		return t >= this.start && t < this.end;
	}
}

/** What both kinds of client share: the seeded edits, the cursor moves and the bookkeeping of arrivals. */
abstract class BenchClient {
	readonly doc = new Y.Doc();
	protected readonly load: LoadGenerator;
	protected readonly random: () => number;
	protected readonly name: string;
	readonly #text = this.doc.getText('notes');
	readonly #fields = this.doc.getMap<string>('fields');
	readonly #stamps = this.doc.getMap<Stamp>('bench');
	readonly #key = String(this.doc.clientID);
	readonly #lastEditSeen = new Map<string, number>();
	readonly #lastCursorSeen = new Map<number, number>();
	#seq = 0;
	#cursorSeq = 0;
	#timer: NodeJS.Timeout | undefined;

	constructor(load: LoadGenerator, seed: number, name: string) {
		this.load = load;
		this.random = rng(seed);
		this.name = name;
	}

	abstract connect(): void;
	abstract get synced(): boolean;
	/** Publishes the local awareness state with this cursor. */
	protected abstract moveCursor(cursor: Stamp & { index: number }): void;
	abstract destroy(): void;

	protected initialAwareness(): Record<string, unknown> {
		return { user: { name: this.name, color: `hsl(${Math.floor(this.random() * 360)} 70% 50%)` }, cursor: null };
	}

	/** Edits at `firstAt`, then every interval (±10 % jitter), on a schedule that does not drift. */
	startEditing(firstAt: number): void {
		const interval = this.load.options.editIntervalMs;
		let next = firstAt;
		const tick = () => {
			this.#edit();
			next += interval * (0.9 + 0.2 * this.random());
			this.#timer = setTimeout(tick, Math.max(0, next - performance.now()));
		};
		this.#timer = setTimeout(tick, Math.max(0, next - performance.now()));
	}

	stopEditing(): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
	}

	#edit(): void {
		const seq = ++this.#seq;
		const r = this.random;
		const kind = r() < 0.5 ? 'text' : 'map';
		const word = words[Math.floor(r() * words.length)] ?? 'x';
		const position = Math.floor(r() * (this.#text.length + 1));
		const field = fields[Math.floor(r() * fields.length)] ?? 'note';
		const t = performance.now();
		this.doc.transact(() => {
			if (kind === 'text') this.#text.insert(position, `${word} `);
			else this.#fields.set(field, `${word} ${seq}`);
			this.#stamps.set(this.#key, { s: seq, t });
		});
		this.load.countEdit(t);
		if (this.load.options.awareness === 'edit') {
			const at = performance.now();
			this.moveCursor({ s: ++this.#cursorSeq, t: at, index: position });
			this.load.countAwareness(at);
		}
	}

	/** A peer's time stamp arrived (each edit counted once per receiver). */
	protected stampArrived(key: string, stamp: Stamp | undefined, now: number): void {
		if (!stamp || key === this.#key || stamp.s <= (this.#lastEditSeen.get(key) ?? 0)) return;
		this.#lastEditSeen.set(key, stamp.s);
		this.load.recordEdit(stamp, now);
	}

	protected cursorArrived(clientId: number, cursor: Stamp | null | undefined, now: number): void {
		if (!cursor || clientId === this.doc.clientID || cursor.s <= (this.#lastCursorSeen.get(clientId) ?? 0)) return;
		this.#lastCursorSeen.set(clientId, cursor.s);
		this.load.recordAwareness(cursor, now);
	}

	protected get stamps(): Y.Map<Stamp> {
		return this.#stamps;
	}
}

/** The stock y-websocket provider, as an editor in a browser tab would run it. */
class ProviderClient extends BenchClient {
	readonly provider: WebsocketProvider;

	constructor(load: LoadGenerator, base: string, room: string, cookie: string | undefined, seed: number, name: string) {
		super(load, seed, name);
		this.provider = new WebsocketProvider(base, room, this.doc, {
			WebSocketPolyfill: webSocketWithCookie(cookie),
			disableBc: true,
			connect: false
		});
		if (load.options.awareness !== 'off') this.provider.awareness.setLocalState(this.initialAwareness());
		this.stamps.observe((event) => {
			if (event.transaction.local) return;
			const now = performance.now();
			for (const key of event.keysChanged) this.stampArrived(key, this.stamps.get(key), now);
		});
		if (load.options.awareness === 'edit') {
			this.provider.awareness.on('change', ({ added, updated }: { added: number[]; updated: number[] }, origin: unknown) => {
				if (origin === 'local') return;
				const now = performance.now();
				const states = this.provider.awareness.getStates();
				for (const id of [...added, ...updated]) {
					this.cursorArrived(id, (states.get(id) as { cursor?: Stamp | null } | undefined)?.cursor, now);
				}
			});
		}
		this.provider.on('connection-close', (event) => this.load.recordDisconnect(event ? `close ${event.code}` : 'closed by the client'));
		this.provider.on('connection-error', (event) => this.load.recordProblem(`error ${(event as { message?: string }).message ?? ''}`.trim()));
	}

	connect(): void {
		this.provider.connect();
	}

	get synced(): boolean {
		return this.provider.synced;
	}

	protected moveCursor(cursor: Stamp & { index: number }): void {
		this.provider.awareness.setLocalStateField('cursor', cursor);
	}

	destroy(): void {
		this.stopEditing();
		this.provider.destroy();
		this.doc.destroy();
	}
}

/** The same protocol and edits without integrating what arrives (see the module comment). */
class LightClient extends BenchClient {
	readonly #wire: Wire;
	readonly #cookie: string | undefined;
	#ws: WebSocket | undefined;
	#synced = false;
	#closed = false;
	#awarenessClock = 0;
	#awarenessState: Record<string, unknown> | null = null;

	constructor(load: LoadGenerator, wire: Wire, cookie: string | undefined, seed: number, name: string) {
		super(load, seed, name);
		this.#wire = wire;
		this.#cookie = cookie;
		if (load.options.awareness !== 'off') this.#awarenessState = this.initialAwareness();
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === this) return;
			this.#send(this.#wire.sync(syncUpdate, update));
		});
	}

	connect(): void {
		const ws = new WebSocket(this.#wire.url, { perMessageDeflate: false, headers: this.#cookie ? { cookie: this.#cookie } : {} });
		this.#ws = ws;
		ws.on('open', () => {
			for (const hello of this.#wire.hello()) this.#send(hello);
			this.#send(this.#wire.sync(syncStep1, Y.encodeStateVector(this.doc)));
			if (this.#awarenessState) this.#sendAwareness();
		});
		ws.on('message', (data: Buffer) => this.#receive(data));
		ws.on('error', (error) => this.load.recordProblem(`error ${error.message}`));
		ws.on('unexpected-response', (_request, response) => {
			this.load.recordProblem(`HTTP ${response.statusCode} on upgrade`);
			ws.terminate();
		});
		ws.on('close', (code) => {
			if (!this.#closed) this.load.recordDisconnect(`close ${code}`);
		});
	}

	get synced(): boolean {
		return this.#synced;
	}

	protected moveCursor(cursor: Stamp & { index: number }): void {
		this.#awarenessState = { ...this.#awarenessState, cursor };
		this.#sendAwareness();
	}

	destroy(): void {
		this.stopEditing();
		this.#closed = true;
		this.#ws?.close();
		this.doc.destroy();
	}

	#send(message: Uint8Array): void {
		if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(message);
	}

	/** An awareness update with this client's one entry, as y-protocols encodes it. */
	#sendAwareness(): void {
		const entry = encoding.createEncoder();
		encoding.writeVarUint(entry, 1);
		encoding.writeVarUint(entry, this.doc.clientID);
		encoding.writeVarUint(entry, ++this.#awarenessClock);
		encoding.writeVarString(entry, JSON.stringify(this.#awarenessState));
		this.#send(this.#wire.awareness(encoding.toUint8Array(entry)));
	}

	#receive(data: Buffer): void {
		const now = performance.now();
		const frame = this.#wire.open(data);
		if (!frame) return;
		const { type, decoder } = frame;
		if (frame.problem) {
			this.load.recordProblem(frame.problem);
		} else if (type === messageSync) {
			const syncType = decoding.readVarUint(decoder);
			const payload = decoding.readVarUint8Array(decoder);
			if (syncType === syncStep1) {
				// The server asks for what it lacks of ours.
				this.#send(this.#wire.sync(syncStep2, Y.encodeStateAsUpdate(this.doc, payload)));
			} else if (syncType === syncStep2) {
				this.#synced = true;
			} else if (syncType === syncUpdate) {
				// A stamp is the one ContentAny holding {s, t}; its item's client is the sender (the key it
				// was set under). Only the first set of a key carries the parent's name in the encoding.
				for (const struct of Y.decodeUpdate(payload).structs) {
					if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentAny)) continue;
					const value = struct.content.arr[0] as Partial<Stamp> | null;
					if (typeof value === 'object' && value !== null && typeof value.s === 'number' && typeof value.t === 'number') {
						this.stampArrived(String(struct.id.client), value as Stamp, now);
					}
				}
			}
		} else if (type === messageAwareness && this.load.options.awareness === 'edit') {
			const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
			const count = decoding.readVarUint(update);
			for (let i = 0; i < count; i++) {
				const clientId = decoding.readVarUint(update);
				decoding.readVarUint(update); // clock
				const json = decoding.readVarString(update);
				if (clientId === this.doc.clientID) continue;
				const state = JSON.parse(json) as { cursor?: Stamp | null } | null;
				this.cursorArrived(clientId, state?.cursor, now);
			}
		}
	}
}

export class LoadGenerator {
	readonly options: LoadOptions;
	readonly #clients: BenchClient[] = [];
	#window: WindowStats | undefined;

	constructor(options: LoadOptions) {
		this.options = options;
	}

	get clientCount(): number {
		return this.#clients.length;
	}

	/** Opens every client, in batches, and resolves once all have synced; rejects after `timeoutMs`. */
	async connect(
		base: string,
		rooms: string[],
		cookies: string[][] | undefined,
		timeoutMs: number,
		protocol: WireProtocol = 'y-websocket'
	): Promise<void> {
		const deadline = performance.now() + timeoutMs;
		const M = this.options.clientsPerMeeting;
		if (this.options.client === 'provider' && protocol !== 'y-websocket') {
			throw new Error(`the y-websocket provider cannot speak ${protocol}; use the light client (--client light)`);
		}
		// Identical seeds for every server: client j of meeting i always makes the same edits.
		for (let i = 0; i < rooms.length; i++) {
			for (let j = 0; j < M; j++) {
				const seed = this.options.seed * 1_000_003 + i * 1_009 + j;
				const room = rooms[i] ?? '';
				const cookie = cookies?.[i]?.[j];
				const name = `m${i}c${j}`;
				this.#clients.push(
					this.options.client === 'light'
						? new LightClient(this, new Wire(protocol, base, room), cookie, seed, name)
						: new ProviderClient(this, base, room, cookie, seed, name)
				);
			}
		}
		for (let start = 0; start < this.#clients.length; start += this.options.connectBatch) {
			for (const client of this.#clients.slice(start, start + this.options.connectBatch)) client.connect();
			await sleep(this.options.connectPauseMs);
			if (performance.now() > deadline) break;
		}
		while (this.#clients.some((c) => !c.synced)) {
			if (performance.now() > deadline) {
				const missing = this.#clients.filter((c) => !c.synced).length;
				const seen = [...this.problems].map(([kind, n]) => `${kind} ×${n}`).join(', ') || 'no close or error';
				throw new Error(`${missing} of ${this.#clients.length} clients had not synced within ${timeoutMs} ms (${seen})`);
			}
			await sleep(50);
		}
	}

	/** Starts every client's edits, spread evenly over the first interval (seeded offsets). */
	startEditing(): void {
		const now = performance.now();
		const random = rng(this.options.seed);
		for (const client of this.#clients) client.startEditing(now + random() * this.options.editIntervalMs);
	}

	stopEditing(): void {
		for (const client of this.#clients) client.stopEditing();
	}

	/** From now on, edits made in [start, end) are measured, until the next window is opened. */
	openWindow(start: number, end: number): WindowStats {
		this.#window = new WindowStats(start, end);
		return this.#window;
	}

	countEdit(t: number): void {
		if (this.#window?.inside(t)) this.#window.editsSent++;
	}

	countAwareness(t: number): void {
		if (this.#window?.inside(t)) this.#window.awarenessSent++;
	}

	recordEdit(stamp: Stamp, now: number): void {
		const w = this.#window;
		if (!w?.inside(stamp.t)) return;
		w.editsDelivered++;
		w.editLatency.push(now - stamp.t);
	}

	recordAwareness(stamp: Stamp, now: number): void {
		const w = this.#window;
		if (!w?.inside(stamp.t)) return;
		w.awarenessDelivered++;
		w.awarenessLatency.push(now - stamp.t);
	}

	recordDisconnect(reason: string): void {
		if (this.#window) this.#window.disconnects++;
		this.recordProblem(reason);
	}

	/** Close codes and errors the clients saw, counted by kind (reported when something fails). */
	readonly problems = new Map<string, number>();

	recordProblem(kind: string): void {
		this.problems.set(kind, (this.problems.get(kind) ?? 0) + 1);
	}

	close(): void {
		this.#window = undefined;
		for (const client of this.#clients) client.destroy();
		this.#clients.length = 0;
	}
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
