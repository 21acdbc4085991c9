/**
 * Seeded generators of hostile input and the runners that send it, shared by
 * tests/integration/fuzz.test.ts (a fixed seed, 100,000 frames, in CI) and scripts/fuzz.ts (longer runs):
 * y-websocket frames (`fuzzYjs`) and socket.io packets (`fuzzSocketIo`), and the check that what a
 * meeting stored afterwards is whole (`verifyStored`).
 *
 * Frames are sent in runs on a raw `ws` connection: a few valid frames, then (in most runs) one hostile
 * frame, then a marker: an awareness update of the connection's own client with a new clock, which
 * the server echoes to its sender. The server handles a connection's messages in order, one queue per
 * document, so once the echo is back the server handled the whole run without closing; otherwise the
 * close code is the verdict on the run's hostile frame. A closed connection is replaced by a new one.
 * Runs without a hostile frame must never be closed.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { CloseCode } from '../../src/lib/protocol/close-codes.js';
import { MessageType, SyncMessageType } from '../../src/lib/protocol/yjs-messages.js';
import type { App } from '../../server/app.js';
import { docFromRows, prng, storedRows, waitUntil } from './support.js';

type Random = () => number;
type Frame = Uint8Array | string;

/** How a frame or a run ended: the server's close code, or 'open' when it handled it without closing. */
export type Verdict = number | 'open';

export interface FuzzOptions {
	/**
	 * ws://host:port/yjs/<meetingId>, one per connection sending at the same time. Separate meetings
	 * keep each connection's relays (the dearest part of a valid frame) from multiplying.
	 */
	urls: string[];
	cookie: string;
	/** Generated frames to send (markers not counted). */
	frames: number;
	seed: number;
	/** The server's MAX_MESSAGE_BYTES: oversized frames are made just past it. */
	maxMessageBytes: number;
	/** Close codes a hostile frame may get; anything else (1011, 1006, …) is a failure. */
	allowedCodes?: ReadonlySet<number>;
	/** Stop waiting for a run after this long: the server is stuck. */
	runTimeoutMs?: number;
	onProgress?: (sent: number) => void;
}

export interface FuzzReport {
	/** Generated frames sent (valid and hostile). */
	frames: number;
	runs: number;
	connections: number;
	/** Per kind of hostile frame: how many, and the verdicts they got. */
	hostile: Record<string, { sent: number; verdicts: Record<string, number> }>;
	/** Per kind of valid frame: how many were sent. */
	valid: Record<string, number>;
	/** Everything that broke a rule, with the kind and the first bytes of the frame. */
	failures: string[];
}

/** Close codes a hostile frame may end with: each is a named refusal of docs/close-codes.md. */
export const refusalCodes: ReadonlySet<number> = new Set([
	CloseCode.MessageTooBig,
	CloseCode.MalformedMessage,
	CloseCode.UnsupportedMessageType,
	CloseCode.DocumentTooLarge
]);

const namedCodes: ReadonlySet<number> = new Set(Object.values(CloseCode));

// ─── encoding ──────────────────────────────────────────────────────────────────────────────────

function message(...parts: (number | Uint8Array)[]): Uint8Array {
	const encoder = encoding.createEncoder();
	for (const part of parts) {
		if (typeof part === 'number') encoding.writeVarUint(encoder, part);
		else encoding.writeVarUint8Array(encoder, part);
	}
	return encoding.toUint8Array(encoder);
}

const syncFrame = (sub: number, payload: Uint8Array) => message(MessageType.Sync, sub, payload);
const awarenessFrame = (update: Uint8Array) => message(MessageType.Awareness, update);

function awarenessUpdate(entries: { clientId: number; clock: number; json: string }[], count = entries.length): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, count);
	for (const entry of entries) {
		encoding.writeVarUint(encoder, entry.clientId);
		encoding.writeVarUint(encoder, entry.clock);
		encoding.writeVarString(encoder, entry.json);
	}
	return encoding.toUint8Array(encoder);
}

/** A varuint wider than 53 bits: lib0 refuses to read it. */
const overflowingVarUint = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);

function stateVector(entries: [number, number][]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, entries.length);
	for (const [client, clock] of entries) {
		encoding.writeVarUint(encoder, client);
		encoding.writeVarUint(encoder, clock);
	}
	return encoding.toUint8Array(encoder);
}

/** An update (V1) that only deletes `len` items of `client` from `clock`. */
function deleteOnlyUpdate(ranges: { client: number; clock: number; len: number }[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0);
	const byClient = new Map<number, { clock: number; len: number }[]>();
	for (const r of ranges) byClient.set(r.client, [...(byClient.get(r.client) ?? []), r]);
	encoding.writeVarUint(encoder, byClient.size);
	for (const [client, list] of byClient) {
		encoding.writeVarUint(encoder, client);
		encoding.writeVarUint(encoder, list.length);
		for (const r of list) {
			encoding.writeVarUint(encoder, r.clock);
			encoding.writeVarUint(encoder, r.len);
		}
	}
	return encoding.toUint8Array(encoder);
}

/** Rewrites the clock of the first struct group of a single-client V1 update (a "huge clock"). */
function withClock(update: Uint8Array, clock: number): Uint8Array {
	const decoder = decoding.createDecoder(update);
	const groups = decoding.readVarUint(decoder);
	if (groups !== 1) return update;
	const structs = decoding.readVarUint(decoder);
	const client = decoding.readVarUint(decoder);
	decoding.readVarUint(decoder);
	const rest = decoding.readTailAsUint8Array(decoder);
	const encoder = encoding.createEncoder();
	for (const n of [1, structs, client, clock]) encoding.writeVarUint(encoder, n);
	encoding.writeUint8Array(encoder, rest);
	return encoding.toUint8Array(encoder);
}

// ─── random values ─────────────────────────────────────────────────────────────────────────────

const int = (random: Random, n: number) => Math.floor(random() * n);
const pick = <T>(random: Random, list: readonly T[]): T => list[int(random, list.length)]!;

function bytes(random: Random, length: number, max = 256): Uint8Array {
	const out = new Uint8Array(length);
	for (let i = 0; i < length; i++) out[i] = int(random, max);
	return out;
}

const words = ['Työkokeilu', 'Kela', 'kuntoutus', 'Åsa', 'Öhman', 'päihde', 'ääni', '🙂', '\u0000', '\uD800', '<script>', '"};', 'x'];
const randomText = (random: Random) => Array.from({ length: 1 + int(random, 4) }, () => pick(random, words)).join(' ');

/** A JSON-compatible value (also what ContentAny carries), up to `depth` levels deep. */
function randomValue(random: Random, depth = 3): unknown {
	switch (int(random, depth > 0 ? 9 : 6)) {
		case 0:
			return randomText(random);
		case 1:
			return pick(random, [0, -1, 1.5, 2 ** 53 - 1, -(2 ** 53), 1e308, -0]);
		case 2:
			return random() < 0.5;
		case 3:
			return null;
		case 4:
			return '';
		case 5:
			return 'x'.repeat(int(random, 300));
		case 6:
			return Array.from({ length: int(random, 4) }, () => randomValue(random, depth - 1));
		default: {
			const object: Record<string, unknown> = {};
			for (let i = int(random, 4); i > 0; i--) {
				// defineProperty: a key named `__proto__` becomes an own property, as JSON.parse makes it.
				const key = pick(random, ['id', 'name', 'text', 'order', '__proto__', 'toJSON', '']);
				Object.defineProperty(object, key, { value: randomValue(random, depth - 1), enumerable: true, writable: true, configurable: true });
			}
			return object;
		}
	}
}

function nestedJson(depth: number): string {
	return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

// ─── a fuzzing peer's own document: valid updates with the wrong types in the wrong places ───────

const rootNames = ['services', 'goals', 'actions', 'clientVoice', 'perspectives', 'openQuestions', 'meta', 'fuzz', ''] as const;

/**
 * The document a fuzzing connection edits. Each peer gives every root name one Yjs type of its own
 * choosing (a text where the model has a map, a map of strings where it has a map of maps, …), so
 * the meeting's document ends up with every kind of wrong type a hostile participant could write.
 */
class FuzzDoc {
	readonly doc = new Y.Doc();
	readonly #kinds = new Map<string, 'text' | 'map' | 'array'>();
	readonly #updates: Uint8Array[] = [];

	constructor(private readonly random: Random) {
		for (const name of rootNames) this.#kinds.set(name, pick(random, ['text', 'map', 'array'] as const));
		this.doc.on('update', (update: Uint8Array) => this.#updates.push(update));
	}

	/** One random edit; returns the updates it produced (one, or none when the edit changed nothing). */
	edit(): Uint8Array[] {
		const random = this.random;
		const name = pick(random, rootNames);
		const kind = this.#kinds.get(name)!;
		this.doc.transact(() => {
			if (kind === 'text') {
				const text = this.doc.getText(name);
				if (text.length > 200 || (text.length > 0 && random() < 0.3)) {
					const at = int(random, text.length);
					text.delete(at, Math.min(text.length - at, 1 + int(random, 50)));
				} else if (random() < 0.1) {
					text.format(0, text.length, { bold: random() < 0.5 ? true : null });
				} else {
					text.insert(int(random, text.length + 1), randomText(random));
				}
			} else if (kind === 'map') {
				const map = this.doc.getMap<unknown>(name);
				// v3's service fields too (catalogueId, start, end): readers must cope with any value there.
				const key = pick(random, ['s1', 's2', 'g1', 'a1', 'schemaVersion', 'text', 'order', 'catalogueId', 'start', 'end', '']);
				if (random() < 0.2) map.delete(key);
				else map.set(key, this.#value());
			} else {
				const array = this.doc.getArray<unknown>(name);
				if (array.length > 20) array.delete(0, 1 + int(random, array.length));
				else array.insert(int(random, array.length + 1), [this.#value()]);
			}
		});
		return this.#updates.splice(0);
	}

	/** Everything this document holds, as one update (sent again after a reconnect). */
	state(): Uint8Array {
		return Y.encodeStateAsUpdate(this.doc);
	}

	/** A plain value or a shared type, filled with more of the same (at most a few levels). */
	#value(depth = 2): unknown {
		const random = this.random;
		switch (int(random, depth > 0 ? 8 : 4)) {
			case 0:
			case 1:
				return randomValue(random);
			case 2:
				return bytes(random, int(random, 64));
			case 3:
				return random() < 0.5 ? randomText(random) : int(random, 10);
			case 4: {
				const text = new Y.Text();
				text.insert(0, randomText(random));
				return text;
			}
			case 5: {
				const array = new Y.Array<unknown>();
				array.insert(0, [this.#value(depth - 1), this.#value(depth - 1)]);
				return array;
			}
			default: {
				const map = new Y.Map<unknown>();
				for (const field of ['id', 'name', 'sector', 'status', 'text', 'order', 'gas'].slice(0, 1 + int(random, 7))) {
					map.set(field, this.#value(depth - 1));
				}
				return map;
			}
		}
	}
}

// ─── hostile frames ────────────────────────────────────────────────────────────────────────────

const nestedTypesCache = new Map<number, { update: Uint8Array; root: { client: number; clock: number } }>();

/** A Yjs update of root map `services` whose entry holds types nested `depth` levels deep. */
function nestedTypes(depth: number): { update: Uint8Array; root: { client: number; clock: number } } {
	const cached = nestedTypesCache.get(depth);
	if (cached) return cached;
	const clientId = 2 ** 20 + depth;
	const doc = new Y.Doc();
	doc.clientID = clientId;
	doc.transact(() => {
		const root = new Y.Map<unknown>();
		doc.getMap('services').set(`deep${clientId}`, root);
		let current = root;
		for (let i = 0; i < depth; i++) {
			const next = new Y.Map<unknown>();
			current.set('c', next);
			current = next;
		}
	});
	const built = { update: Y.encodeStateAsUpdate(doc), root: { client: clientId, clock: 0 } };
	nestedTypesCache.set(depth, built);
	return built;
}

/**
 * Decodes with Y.decodeUpdate but cannot be applied: client 5 set `meta.a` twice and the second
 * entry's origin points at itself (tests/integration/bad-input.test.ts).
 */
const selfReferentialUpdate = Uint8Array.from([1, 2, 5, 0, 33, 1, 4, 109, 101, 116, 97, 1, 97, 1, 168, 5, 1, 1, 125, 2, 1, 5, 1, 0, 1]);

interface Hostile {
	kind: string;
	frames: Frame[];
}

/** Valid frames, as a hostile generator's starting point. */
function someValidFrame(random: Random, peer: FuzzDoc): Uint8Array {
	switch (int(random, 4)) {
		case 0:
			return syncFrame(SyncMessageType.Update, peer.edit()[0] ?? peer.state());
		case 1:
			return syncFrame(SyncMessageType.Step1, Y.encodeStateVector(peer.doc));
		case 2:
			return awarenessFrame(awarenessUpdate([{ clientId: 1 + int(random, 1000), clock: 1, json: JSON.stringify(randomValue(random)) }]));
		default:
			return syncFrame(SyncMessageType.Step2, peer.state());
	}
}

function hostileFrame(random: Random, peer: FuzzDoc, maxMessageBytes: number): Hostile {
	const r = random();
	if (r < 0.1) {
		const length = random() < 0.02 ? int(random, 4096) : int(random, 64);
		return { kind: 'random bytes', frames: [bytes(random, length)] };
	}
	if (r < 0.2) {
		const frame = someValidFrame(random, peer);
		return { kind: 'truncated', frames: [frame.slice(0, Math.max(1, int(random, frame.length)))] };
	}
	if (r < 0.27) {
		const frame = someValidFrame(random, peer);
		return { kind: 'trailing bytes', frames: [Uint8Array.from([...frame, ...bytes(random, 1 + int(random, 8))])] };
	}
	if (r < 0.37) {
		const frame = someValidFrame(random, peer);
		const mutated = frame.slice();
		for (let i = 1 + int(random, 3); i > 0; i--) mutated[int(random, mutated.length)] = int(random, 256);
		return { kind: 'mutated valid frame', frames: [mutated] };
	}
	if (r < 0.45) {
		// A valid prefix, then random bytes: the length says one thing, the payload another.
		const payload = bytes(random, int(random, 40), random() < 0.5 ? 8 : 256);
		const claimed = pick(random, [payload.length + 1 + int(random, 100), Math.max(0, payload.length - 1 - int(random, 5)), 2 ** 32, 2 ** 53 - 1]);
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MessageType.Sync);
		encoding.writeVarUint(encoder, pick(random, [0, 1, 2]));
		encoding.writeVarUint(encoder, claimed);
		encoding.writeUint8Array(encoder, payload);
		return { kind: 'bad length', frames: [encoding.toUint8Array(encoder)] };
	}
	if (r < 0.52) {
		const payload = bytes(random, 1 + int(random, 40), random() < 0.5 ? 8 : 256);
		return { kind: 'random Yjs payload', frames: [syncFrame(pick(random, [0, 1, 2]), payload)] };
	}
	if (r < 0.58) {
		const frames: Frame[] = [
			message(MessageType.Auth, 0),
			message(pick(random, [4, 5, 17, 127, 128, 2 ** 20, 2 ** 53 - 1])),
			Uint8Array.from([...overflowingVarUint]),
			message(MessageType.Sync, pick(random, [3, 4, 99, 2 ** 31])),
			Uint8Array.from([MessageType.Sync, ...overflowingVarUint]),
			pick(random, ['', '{"type":"update"}', 'x'.repeat(int(random, 1000))])
		];
		return { kind: 'wrong message type', frames: [pick(random, frames)] };
	}
	if (r < 0.66) {
		const json = pick(random, ['{"user":', '[1,2]', '42', '"Åsa"', 'true', 'nul', '', '{"a":1}}', '\uD800']);
		const variants = [
			awarenessFrame(awarenessUpdate([{ clientId: 7, clock: 1, json }])),
			awarenessFrame(awarenessUpdate([{ clientId: 7, clock: 1, json: '{}' }], 2 + int(random, 1000))),
			awarenessFrame(Uint8Array.from([1, ...overflowingVarUint, 1, 2, 123, 125])),
			awarenessFrame(awarenessUpdate([{ clientId: 7, clock: 1, json: '{}' }]).slice(0, 3)),
			message(MessageType.Awareness)
		];
		return { kind: 'invalid awareness', frames: [pick(random, variants)] };
	}
	if (r < 0.7) {
		// A state nested deeper than any reader can walk back out of (JSON.stringify recurses).
		const depth = pick(random, [100, 1000, 5000, Math.floor((maxMessageBytes - 64) / 6)]);
		return {
			kind: 'deeply nested awareness',
			frames: [awarenessFrame(awarenessUpdate([{ clientId: 900_000 + int(random, 1000), clock: 1, json: nestedJson(depth) }]))]
		};
	}
	if (r < 0.74) {
		// One connection speaking for many awareness clients at once: every id is remembered.
		const n = pick(random, [20, 200, 2000]);
		const state = random() < 0.5 ? 'null' : '{}';
		const entries = Array.from({ length: n }, (_, i) => ({ clientId: 1_000_000 + int(random, 2 ** 30) + i, clock: 1 + i, json: state }));
		return { kind: 'awareness for many clients', frames: [awarenessFrame(awarenessUpdate(entries))] };
	}
	if (r < 0.8) {
		// Types nested deeper than the document model ever goes, then the root of them deleted.
		// Built once per depth (the refused ones are never stored, so the same bytes can come again).
		const { update, root } = nestedTypes(random() < 0.9 ? pick(random, [33, 40, 200]) : 3000);
		return {
			kind: 'deeply nested types',
			frames: [syncFrame(SyncMessageType.Update, update), syncFrame(SyncMessageType.Update, deleteOnlyUpdate([{ ...root, len: 1 }]))]
		};
	}
	if (r < 0.84) {
		return { kind: 'unappliable update', frames: [syncFrame(pick(random, [1, 2]), selfReferentialUpdate)] };
	}
	if (r < 0.87) {
		const big = new Uint8Array(maxMessageBytes + 1 + int(random, 1000));
		big[0] = MessageType.Sync;
		big[1] = SyncMessageType.Update;
		return { kind: 'oversized', frames: [big] };
	}
	if (r < 0.92) {
		// Well-formed updates whose clocks or clients are far beyond anything real: kept pending.
		const scratch = new Y.Doc();
		scratch.clientID = random() < 0.5 ? 1 + int(random, 2 ** 31) : 2 ** 53 - 1 - int(random, 1000);
		scratch.getText(pick(random, rootNames)).insert(0, randomText(random));
		const update = withClock(Y.encodeStateAsUpdate(scratch), pick(random, [2 ** 31, 2 ** 40, 2 ** 53 - 100]));
		return { kind: 'huge clock', frames: [syncFrame(SyncMessageType.Update, update)] };
	}
	if (r < 0.98) {
		const sv = stateVector(Array.from({ length: 1 + int(random, 5) }, () => [int(random, 2 ** 32), pick(random, [0, 1, 2 ** 53 - 1])]));
		const variants = [
			syncFrame(SyncMessageType.Step1, sv.slice(0, sv.length - 1)),
			syncFrame(SyncMessageType.Step1, Uint8Array.from([...sv, 0])),
			syncFrame(SyncMessageType.Step1, Uint8Array.from([5, ...overflowingVarUint]))
		];
		return { kind: 'invalid state vector', frames: [pick(random, variants)] };
	}
	// Deletes of things nobody wrote: well-formed; the server keeps them pending.
	const ranges = Array.from({ length: 1 + int(random, 5) }, () => ({ client: int(random, 2 ** 32), clock: int(random, 2 ** 40), len: 1 + int(random, 2 ** 20) }));
	return { kind: 'delete of unknown items', frames: [syncFrame(SyncMessageType.Update, deleteOnlyUpdate(ranges))] };
}

// ─── valid frames ──────────────────────────────────────────────────────────────────────────────

interface Valid {
	kind: string;
	frame: Uint8Array;
}

/** What a fuzzing connection knows of itself: its document and its own awareness clients. */
interface PeerState {
	peer: FuzzDoc;
	/** A second document for the hostile frames: its updates never reach the server intact, so they
	 * must not be ones that the peer's later valid updates depend on. */
	scratch: FuzzDoc;
	awarenessIds: number[];
	/** The client id of the markers: no other frame speaks for it, so its echo is only ever a marker's. */
	markerId: number;
	awarenessClock: number;
}

function validFrame(random: Random, state: PeerState, maxMessageBytes: number): Valid {
	const r = random();
	if (r < 0.25) {
		const update = state.peer.edit()[0];
		if (update) return { kind: 'update', frame: syncFrame(random() < 0.9 ? SyncMessageType.Update : SyncMessageType.Step2, update) };
	}
	if (r < 0.4) {
		state.awarenessClock += 1;
		const clientId = pick(random, state.awarenessIds);
		const json = random() < 0.05 ? 'null' : JSON.stringify({ cursor: { anchor: int(random, 100) }, user: { name: 'Väinö' }, extra: randomValue(random, 2) });
		return { kind: 'awareness', frame: awarenessFrame(awarenessUpdate([{ clientId, clock: state.awarenessClock, json }])) };
	}
	if (r < 0.45) {
		// Removals of clients nobody announced: they change nothing, and the server keeps no record of them.
		const entries = Array.from({ length: 1 + int(random, 20) }, () => ({ clientId: 20_000_000 + int(random, 2 ** 30), clock: int(random, 2 ** 20), json: 'null' }));
		return { kind: 'removal of unknown clients', frame: awarenessFrame(awarenessUpdate(entries)) };
	}
	if (r < 0.55) return { kind: 'query awareness', frame: message(MessageType.QueryAwareness) };
	if (r < 0.63) {
		// A well-formed state vector, this peer's own or one naming clients and clocks nobody has.
		const sv =
			random() < 0.5
				? Y.encodeStateVector(state.peer.doc)
				: stateVector(Array.from({ length: int(random, 4) }, () => [int(random, 2 ** 32), pick(random, [0, 1, 2 ** 40, 2 ** 53 - 1])]));
		return { kind: 'state vector', frame: syncFrame(SyncMessageType.Step1, sv) };
	}
	if (r < 0.97) return { kind: 'empty update', frame: syncFrame(pick(random, [SyncMessageType.Update, SyncMessageType.Step2]), Uint8Array.from([0, 0])) };
	const own = syncFrame(SyncMessageType.Step2, state.peer.state());
	// Everything this peer wrote, unless that has outgrown a frame (then only the last edit's worth).
	if (own.length <= maxMessageBytes) return { kind: 'own state again', frame: own };
	return { kind: 'update', frame: syncFrame(SyncMessageType.Update, state.peer.edit()[0] ?? Uint8Array.from([0, 0])) };
}

/** The (client id, clock) pairs of an awareness message the server sent. */
function awarenessClocks(data: Uint8Array): [number, number][] {
	const decoder = decoding.createDecoder(data);
	decoding.readVarUint(decoder);
	const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
	const pairs: [number, number][] = [];
	for (let i = decoding.readVarUint(update); i > 0; i--) {
		pairs.push([decoding.readVarUint(update), decoding.readVarUint(update)]);
		decoding.readVarString(update);
	}
	return pairs;
}

// ─── the runner ────────────────────────────────────────────────────────────────────────────────

interface Connection {
	ws: WebSocket;
	/** Awareness clocks the server echoed, by client id: the markers that came back. */
	echoed: Map<number, number>;
	closed: { code: number; reason: string } | null;
	changed: () => void;
}

/** Opens a raw connection and waits for the server's greeting (its sync step 1). */
async function connect(url: string, cookie: string, timeoutMs: number): Promise<{ connection: Connection }> {
	const ws = new WebSocket(url, { headers: { cookie }, perMessageDeflate: false });
	let greeted = false;
	const connection: Connection = { ws, echoed: new Map(), closed: null, changed: () => {} };
	ws.on('message', (data: Buffer) => {
		const bytes = new Uint8Array(data);
		if (bytes[0] === MessageType.Awareness) {
			for (const [clientId, clock] of awarenessClocks(bytes)) connection.echoed.set(clientId, clock);
		}
		if (bytes[0] === MessageType.Sync && bytes[1] === SyncMessageType.Step1) greeted = true;
		connection.changed();
	});
	ws.on('close', (code, reason) => {
		connection.closed = { code, reason: reason.toString() };
		connection.changed();
	});
	ws.on('error', () => {});
	await waitFor(connection, () => greeted || connection.closed !== null, timeoutMs, 'the greeting');
	if (!greeted) throw new Error(`connection refused: ${JSON.stringify(connection.closed)}`);
	return { connection };
}

function waitFor(connection: Connection, done: () => boolean, timeoutMs: number, what: string): Promise<void> {
	if (done()) return Promise.resolve();
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
		connection.changed = () => {
			if (!done()) return;
			clearTimeout(timer);
			connection.changed = () => {};
			resolve();
		};
	});
}

const hex = (frame: Frame) =>
	typeof frame === 'string' ? JSON.stringify(frame.slice(0, 40)) : Buffer.from(frame.subarray(0, 24)).toString('hex') + (frame.length > 24 ? `… (${frame.length} bytes)` : '');

/**
 * Sends `options.frames` generated frames over one raw connection per URL at a time and reports
 * what the server answered. Never throws for what the server does: rule breaks land in `failures`.
 */
export async function fuzzYjs(options: FuzzOptions): Promise<FuzzReport> {
	const allowed = options.allowedCodes ?? refusalCodes;
	const timeoutMs = options.runTimeoutMs ?? 15_000;
	const report: FuzzReport = { frames: 0, runs: 0, connections: 0, hostile: {}, valid: {}, failures: [] };
	let nextProgress = 0;

	async function worker(url: string, index: number): Promise<void> {
		const random = prng(options.seed * 7919 + index);
		const state: PeerState = {
			peer: new FuzzDoc(random),
			scratch: new FuzzDoc(random),
			awarenessIds: [10_000 + index * 2, 10_001 + index * 2],
			markerId: 1_000 + index,
			awarenessClock: 0
		};
		let connection: Connection | null = null;
		while (report.frames < options.frames && report.failures.length < 20) {
			if (!connection) {
				const opened = await connect(url, options.cookie, timeoutMs);
				report.connections++;
				connection = opened.connection;
				// The server removed this peer's awareness clients with a higher clock when the last connection closed.
				state.awarenessClock += 2;
			}
			const valid = Array.from({ length: 1 + int(random, 14) }, () => validFrame(random, state, options.maxMessageBytes));
			const hostile = random() < 0.4 ? hostileFrame(random, state.scratch, options.maxMessageBytes) : null;
			const frames: Frame[] = [...valid.map((v) => v.frame), ...(hostile?.frames ?? [])];
			const markerId = state.markerId;
			const markerClock = ++state.awarenessClock;
			const marker = awarenessFrame(awarenessUpdate([{ clientId: markerId, clock: markerClock, json: JSON.stringify({ run: report.runs }) }]));
			for (const frame of frames) connection.ws.send(frame, { binary: typeof frame !== 'string' });
			connection.ws.send(marker);
			const current: Connection = connection;
			try {
				await waitFor(
					current,
					() => current.closed !== null || (current.echoed.get(markerId) ?? 0) >= markerClock,
					timeoutMs,
					`a run ending in ${hostile?.kind ?? 'valid frames'}`
				);
			} catch (error) {
				report.failures.push(`${(error as Error).message}: ${hostile ? hex(hostile.frames.at(-1)!) : ''}`);
				current.ws.terminate();
				connection = null;
				continue;
			}
			report.runs++;
			report.frames += frames.length;
			for (const v of valid) report.valid[v.kind] = (report.valid[v.kind] ?? 0) + 1;
			const verdict: Verdict = current.closed ? current.closed.code : 'open';
			if (hostile) {
				const entry = (report.hostile[hostile.kind] ??= { sent: 0, verdicts: {} });
				entry.sent += hostile.frames.length;
				entry.verdicts[String(verdict)] = (entry.verdicts[String(verdict)] ?? 0) + 1;
			}
			if (current.closed) {
				const { code, reason } = current.closed;
				// Named: one of docs/close-codes.md, with a reason (ws itself closes oversized frames without one).
				const named = namedCodes.has(code) && (reason.length > 0 || code === CloseCode.MessageTooBig);
				if (!hostile) {
					report.failures.push(`valid frames were refused with ${code} ${reason}: ${valid.map((v) => v.kind).join(', ')}`);
				} else if (!allowed.has(code) || !named) {
					report.failures.push(`${hostile.kind} closed with ${code} "${reason}": ${hostile.frames.map(hex).join(' then ')}`);
				}
				connection = null;
			}
			if (report.frames >= nextProgress) {
				options.onProgress?.(report.frames);
				nextProgress += 10_000;
			}
		}
		if (connection && !connection.closed) {
			const closing = connection;
			closing.ws.close();
			await waitFor(closing, () => closing.closed !== null, timeoutMs, 'the close').catch(() => closing.ws.terminate());
		}
		state.peer.doc.destroy();
		state.scratch.doc.destroy();
	}

	await Promise.all(options.urls.map((url, i) => worker(url, i)));
	return report;
}

// ─── socket.io at the packet level ───────────────────────────────────────────────────────────────

const eventNames = [
	'meeting:join',
	'meeting:leave',
	'room:phase',
	'room:hand',
	'room:lower-hand',
	'room:turn',
	'room:clear-hands',
	'doc:snapshot',
	'no:such-event',
	'',
	'__proto__',
	'constructor',
	'disconnect',
	'error',
	'x'.repeat(300)
];

/** Error codes an ack may carry (server/realtime/socket.ts, server/errors.ts). */
const ackCodes = new Set([
	'invalid_payload',
	'unauthenticated',
	'forbidden',
	'not_found',
	'invalid',
	'conflict',
	'unprocessable',
	'rate_limited',
	'unavailable',
	'storage_full',
	'internal_error'
]);

function randomJson(random: () => number, meetingId: string, depth = 3): unknown {
	const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
	switch (Math.floor(random() * (depth > 0 ? 10 : 7))) {
		case 0:
			return meetingId;
		case 1:
			return pick(['', 'Åsa', 'x'.repeat(5000), '../../etc', '\u0000', '{"meetingId":1}']);
		case 2:
			return pick([0, -1, 1e308, 2 ** 53, 0.5]);
		case 3:
			return pick([true, false, null]);
		case 4:
			return { meetingId: pick([meetingId, meetingId.toUpperCase(), 42, null, [], {}, 'x'.repeat(65)]) };
		case 5:
			return { meetingId, phase: pick(['plan', 'PLAN', 1, null]), raised: pick([true, 'true', 1]), participantId: pick([null, '', 'x', 7, 'p'.repeat(65)]) };
		case 6:
			// Own `__proto__` and `constructor` keys, as JSON.parse makes them.
			return JSON.parse(`{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"meetingId":${JSON.stringify(meetingId)}}`);
		case 7:
			return Array.from({ length: Math.floor(random() * 4) }, () => randomJson(random, meetingId, depth - 1));
		default: {
			const object: Record<string, unknown> = {};
			for (let i = Math.floor(random() * 4); i > 0; i--) object[pick(['meetingId', 'phase', 'raised', 'x'])] = randomJson(random, meetingId, depth - 1);
			return object;
		}
	}
}

export interface SocketIoReport {
	packets: number;
	connections: number;
	ackCodes: Record<string, number>;
	failures: string[];
}

/**
 * Speaks engine.io/socket.io over a raw websocket and sends `count` packets, most of them wrong: bad
 * framing, unknown packet types, binary placeholders without attachments, payloads over the size
 * limit, events with the wrong arguments, acks nobody asked for. After each one, a join with an ack
 * id: the server either answers it (with an ack of the Ack shape) or has closed the connection.
 */
export async function fuzzSocketIo(url: string, cookie: string, meetingId: string, random: () => number, count: number): Promise<SocketIoReport> {
	const report: SocketIoReport = { packets: 0, connections: 0, ackCodes: {}, failures: [] };
	const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
	const wsUrl = `${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`;
	let ackId = 0;

	interface Conn {
		ws: WebSocket;
		acks: Map<number, unknown>;
		connected: boolean;
		closed: boolean;
	}
	const open = async (): Promise<Conn> => {
		const ws = new WebSocket(wsUrl, { headers: { cookie } });
		const conn: Conn = { ws, acks: new Map(), connected: false, closed: false };
		ws.on('message', (data: Buffer, isBinary: boolean) => {
			if (isBinary) return;
			const text = data.toString();
			if (text === '2') ws.send('3');
			else if (text.startsWith('40')) conn.connected = true;
			else if (text.startsWith('43')) {
				const match = /^43(\d+)(\[.*)$/s.exec(text);
				if (match) conn.acks.set(Number(match[1]), JSON.parse(match[2]!));
			}
		});
		ws.on('close', () => (conn.closed = true));
		ws.on('error', () => {});
		await new Promise((resolve) => ws.once('open', resolve));
		ws.send('40');
		await waitUntil(() => conn.connected || conn.closed, 10_000);
		if (!conn.connected) throw new Error('socket.io refused the connection');
		report.connections++;
		return conn;
	};

	const checkAck = (value: unknown, what: string) => {
		const [ack] = value as [unknown];
		const ok = typeof ack === 'object' && ack !== null && 'ok' in ack;
		if (!ok) return report.failures.push(`${what}: ack without ok: ${JSON.stringify(value).slice(0, 100)}`);
		const result = ack as { ok: boolean; error?: { code?: unknown; message?: unknown } };
		const code = result.ok ? 'ok' : String(result.error?.code);
		report.ackCodes[code] = (report.ackCodes[code] ?? 0) + 1;
		if (!result.ok && (!ackCodes.has(code) || typeof result.error?.message !== 'string')) {
			report.failures.push(`${what}: unnamed refusal ${JSON.stringify(ack).slice(0, 200)}`);
		}
	};

	let conn = await open();
	while (report.packets < count && report.failures.length < 20) {
		const event = pick(eventNames);
		const args = Array.from({ length: Math.floor(random() * 3) }, () => randomJson(random, meetingId));
		const withAck = random() < 0.6 ? ++ackId : null;
		const valid = `42${withAck ?? ''}${JSON.stringify([event, ...args])}`;
		const packets: (string | Buffer)[] = [];
		switch (Math.floor(random() * 10)) {
			case 0:
			case 1:
			case 2:
				packets.push(valid);
				break;
			case 3:
				packets.push(valid.slice(0, Math.floor(random() * valid.length)));
				break;
			case 4:
				packets.push(pick(['', '4', '42', '4x', '49[]', '41', '43', '431[]', '44', '1', '2', '5', '6', '7', '0', '9', '40/admin,', '42/admin,["x"]', '4{}']));
				break;
			case 5:
				packets.push(`451-${JSON.stringify([event, { _placeholder: true, num: pick([0, 1, -1, 'a']) }])}`);
				if (random() < 0.5) packets.push(Buffer.from([1, 2, 3]));
				break;
			case 6:
				packets.push(`42${JSON.stringify(['meeting:join', 'x'.repeat(70 * 1024)])}`);
				break;
			case 7:
				packets.push(Buffer.from(Array.from({ length: Math.floor(random() * 50) }, () => Math.floor(random() * 256))));
				break;
			case 8:
				packets.push(`43${Math.floor(random() * 1000)}${JSON.stringify([randomJson(random, meetingId)])}`);
				break;
			default:
				packets.push(Array.from({ length: Math.floor(random() * 40) }, () => String.fromCharCode(32 + Math.floor(random() * 95))).join(''));
		}
		const marker = ++ackId;
		for (const packet of packets) conn.ws.send(packet);
		if (packets.some((packet) => typeof packet === 'string' && packet.startsWith('41'))) {
			// The client left the namespace (the server does not answer that): join it again first.
			conn.connected = false;
			conn.ws.send('40');
			const leaving = conn;
			await waitUntil(() => leaving.connected || leaving.closed, 5_000).catch(() => {});
		}
		conn.ws.send(`42${marker}${JSON.stringify(['meeting:join', { meetingId }])}`);
		report.packets += packets.length;
		const current = conn;
		try {
			await waitUntil(() => current.closed || current.acks.has(marker), 5_000);
		} catch {
			report.failures.push(`no answer and no close after ${JSON.stringify(packets.map(String)).slice(0, 200)}`);
		}
		for (const [id, value] of current.acks) checkAck(value, id === marker ? 'marker' : `event ${event}`);
		current.acks.clear();
		if (current.closed) conn = await open();
	}
	conn.ws.close();
	return report;
}

// ─── what is stored afterwards ──────────────────────────────────────────────────────────────────

/**
 * What must hold of a meeting after any amount of hostile input: every stored row is an update Yjs
 * reads, together they are the live document (if it is loaded), and the plan's readers cope with
 * whatever types landed where the model expects others. Returns the problems found.
 */
export async function verifyStored(app: App, meetingId: string): Promise<{ problems: string[]; doc: Y.Doc }> {
	const problems: string[] = [];
	const rows = storedRows(app.db, meetingId);
	for (const row of rows.updates) {
		try {
			Y.decodeUpdate(row.data);
		} catch (error) {
			problems.push(`${meetingId}: stored update ${row.id} does not decode: ${(error as Error).message}`);
		}
	}
	// What a client loading the meeting gets: everything stored, as one update on a fresh document.
	let doc = new Y.Doc();
	try {
		docFromRows(rows);
		Y.applyUpdate(doc, Y.mergeUpdates([...(rows.snapshot ? [rows.snapshot] : []), ...rows.updates.map((row) => row.data)]));
	} catch (error) {
		problems.push(`${meetingId}: the stored rows do not load: ${(error as Error).message}`);
	}
	const live = app.documents.get(meetingId);
	if (live?.state === 'ready') {
		// Each side as one update applied to a fresh document. (Applied one by one, updates with missing
		// dependencies leave structs pending in the live document that a fresh load integrates: the same
		// content, a different state vector. Merged, both sides resolve them the same way.)
		const fresh = (update: Uint8Array) => {
			const copy = new Y.Doc();
			Y.applyUpdate(copy, update);
			return Y.encodeStateAsUpdate(copy);
		};
		const stored = Y.encodeStateAsUpdate(doc);
		const held = fresh(Y.encodeStateAsUpdate(live.doc));
		if (Buffer.compare(Buffer.from(stored), Buffer.from(held)) !== 0) {
			const a = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(stored));
			const b = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(held));
			const differ = [...new Set([...a.keys(), ...b.keys()])].filter((client) => a.get(client) !== b.get(client));
			const clocks = differ.map((client) => `${client}: stored ${a.get(client) ?? 0}, live ${b.get(client) ?? 0}`);
			problems.push(`${meetingId}: the stored rows do not hold what the live document holds (${clocks.join('; ') || 'deletions differ'})`);
		}
	}
	try {
		await app.plan(meetingId);
	} catch (error) {
		problems.push(`${meetingId}: the plan cannot be read: ${(error as Error).message}`);
	}
	return { problems, doc };
}
