import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { CloseCode } from '../../src/lib/protocol/close-codes.js';
import { MessageType, SyncMessageType } from '../../src/lib/protocol/yjs-messages.js';
import type { Struct } from './nesting.js';

/** An update's delete set as decoded (`Y.decodeUpdate(update).ds`): ranges of clocks per client. */
export type Deletions = { clients: Map<number, Array<{ clock: number; len: number }>> };

/** One decoded awareness entry: the state is `null` when the peer removed it. */
export interface AwarenessEntry {
	clientId: number;
	clock: number;
	state: Record<string, unknown> | null;
}

/** A message from a peer, fully decoded and validated before anything acts on it. */
export type InboundMessage =
	| { type: 'sync-step-1'; stateVector: Uint8Array }
	| { type: 'update'; update: Uint8Array; empty: boolean; structs: Struct[]; deletions: Deletions }
	| { type: 'awareness'; update: Uint8Array; entries: AwarenessEntry[] }
	| { type: 'query-awareness' };

/** A message the endpoint refuses; the connection closes with `code`. */
export class ProtocolError extends Error {
	constructor(
		readonly code: CloseCode,
		message: string
	) {
		super(message);
		this.name = 'ProtocolError';
	}
}

const malformed = (what: string, cause?: unknown) =>
	new ProtocolError(CloseCode.MalformedMessage, `${what}${cause instanceof Error ? `: ${cause.message}` : ''}`);

/**
 * Decodes one y-websocket frame. Throws a ProtocolError for anything that is not a complete,
 * well-formed message of a type clients may send, so that nothing malformed is ever stored.
 */
export function parseMessage(frame: Uint8Array): InboundMessage {
	const decoder = decoding.createDecoder(frame);
	let messageType: number;
	try {
		messageType = decoding.readVarUint(decoder);
	} catch (cause) {
		throw malformed('unreadable message type', cause);
	}
	let message: InboundMessage;
	switch (messageType) {
		case MessageType.Sync:
			message = parseSync(decoder);
			break;
		case MessageType.Awareness:
			message = parseAwareness(decoder);
			break;
		case MessageType.QueryAwareness:
			message = { type: 'query-awareness' };
			break;
		default:
			throw new ProtocolError(CloseCode.UnsupportedMessageType, `message type ${messageType} is not accepted`);
	}
	if (decoding.hasContent(decoder)) throw malformed('trailing bytes after the message');
	return message;
}

function parseSync(decoder: decoding.Decoder): InboundMessage {
	let syncType: number;
	let payload: Uint8Array;
	try {
		syncType = decoding.readVarUint(decoder);
		payload = decoding.readVarUint8Array(decoder);
	} catch (cause) {
		throw malformed('truncated sync message', cause);
	}
	switch (syncType) {
		case SyncMessageType.Step1:
			try {
				Y.decodeStateVector(payload);
			} catch (cause) {
				throw malformed('invalid state vector', cause);
			}
			return { type: 'sync-step-1', stateVector: payload };
		case SyncMessageType.Step2:
		case SyncMessageType.Update: {
			let decoded: ReturnType<typeof Y.decodeUpdate>;
			try {
				decoded = Y.decodeUpdate(payload);
			} catch (cause) {
				throw malformed('invalid Yjs update', cause);
			}
			const structs = decoded.structs as Struct[];
			const empty = structs.length === 0 && decoded.ds.clients.size === 0;
			// Subdocuments are not part of the document model (docs/document-model.md), and Yjs holds one
			// in memory at about 140 times its encoded size: refused, like any other malformed update.
			if (structs.some((struct) => struct instanceof Y.Item && struct.content instanceof Y.ContentDoc)) {
				throw malformed('subdocuments are not part of the meeting document');
			}
			checkApplicable(structs, decoded.ds, payload);
			return { type: 'update', update: payload, empty, structs, deletions: decoded.ds as unknown as Deletions };
		}
		default:
			throw malformed(`unknown sync message type ${syncType}`);
	}
}

/** True when `ref` is a clock of `id`'s own client at or after `id`: one Yjs cannot resolve yet. */
const notBefore = (ref: Y.ID | null, id: Y.ID) => ref !== null && ref.client === id.client && ref.clock >= id.clock;

/**
 * Refuses an update that decodes but that Y.applyUpdate would throw on. Logged before it is applied,
 * such an update would make every later load of the meeting fail, so the check comes before storage.
 *
 * Yjs integrates a struct only once its client's earlier clocks are in the document, and then throws
 * on a reference it cannot resolve. References to other clients are safe: one that is not there yet
 * keeps the struct pending. References to the struct's own client are looked up at once, so they must
 * be to clocks before the struct's: an item is written after its neighbours and its parent, so Yjs
 * never makes another. Deletions it cannot apply yet it keeps, re-encoded in a format that throws on
 * an empty range and garbles unsorted ones; Yjs writes each client's ranges sorted, apart and non-empty.
 * (tests/integration/bad-input.test.ts)
 *
 * A struct at clock 0 is also tried on an empty document, which integrates exactly those (it keeps
 * every other struct pending), to catch what else fuzzing finds in a client's first update. Doing that
 * for every update cost more CPU than storing it (docs/performance.md).
 */
function checkApplicable(structs: Struct[], deletions: ReturnType<typeof Y.decodeUpdate>['ds'], payload: Uint8Array): void {
	let first = false;
	for (const struct of structs) {
		const { client, clock } = struct.id;
		if (clock === 0) first = true;
		if (!(struct instanceof Y.Item)) continue;
		const { origin, rightOrigin, parent } = struct;
		if (notBefore(origin, struct.id) || notBefore(rightOrigin, struct.id) || (parent instanceof Y.ID && notBefore(parent, struct.id))) {
			throw malformed(`item ${client}:${clock} refers to a clock of its own client that is not before it`);
		}
	}
	for (const [client, ranges] of deletions.clients) {
		let end = 0;
		for (const { clock, len } of ranges) {
			if (len <= 0 || clock < end) throw malformed(`deleted ranges of client ${client} are empty, unsorted or overlapping`);
			end = clock + len;
		}
	}
	if (!first) return;
	try {
		// A fixed guid skips Yjs's random uuid.
		Y.applyUpdate(new Y.Doc({ guid: 'verkosto-scratch' }), payload);
	} catch (cause) {
		throw malformed('Yjs update cannot be applied', cause);
	}
}

/**
 * Awareness states nest a few levels (a cursor's relative positions). A deeper one is refused: the
 * server re-encodes every state it relays, and JSON.stringify overflows the stack on a state nested a
 * few thousand levels (tests/integration/fuzz.test.ts), as would every peer's reader.
 */
export const maxAwarenessStateDepth = 32;

/** True when `value` has objects or arrays nested more than `max` levels (walked without recursion). */
function nestedDeeperThan(value: unknown, max: number): boolean {
	const stack: Array<[unknown, number]> = [[value, 1]];
	while (stack.length > 0) {
		const [current, depth] = stack.pop()!;
		if (current === null || typeof current !== 'object') continue;
		if (depth > max) return true;
		for (const child of Object.values(current)) stack.push([child, depth + 1]);
	}
	return false;
}

function parseAwareness(decoder: decoding.Decoder): InboundMessage {
	let update: Uint8Array;
	const entries: AwarenessEntry[] = [];
	try {
		update = decoding.readVarUint8Array(decoder);
		const inner = decoding.createDecoder(update);
		const count = decoding.readVarUint(inner);
		for (let i = 0; i < count; i++) {
			const clientId = decoding.readVarUint(inner);
			const clock = decoding.readVarUint(inner);
			const state: unknown = JSON.parse(decoding.readVarString(inner));
			if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
				throw new Error('an awareness state must be an object or null');
			}
			if (nestedDeeperThan(state, maxAwarenessStateDepth)) {
				throw new Error(`an awareness state may nest at most ${maxAwarenessStateDepth} levels`);
			}
			entries.push({ clientId, clock, state: state as Record<string, unknown> | null });
		}
		if (decoding.hasContent(inner)) throw new Error('trailing bytes');
	} catch (cause) {
		throw malformed('invalid awareness update', cause);
	}
	return { type: 'awareness', update, entries };
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.Sync);
	encoding.writeVarUint(encoder, SyncMessageType.Step1);
	encoding.writeVarUint8Array(encoder, Y.encodeStateVector(doc));
	return encoding.toUint8Array(encoder);
}

export function encodeSyncStep2(doc: Y.Doc, stateVector?: Uint8Array): Uint8Array {
	return encodeSyncStep2Message(Y.encodeStateAsUpdate(doc, stateVector));
}

/** A sync step 2 message carrying `update` (already encoded: see answers.ts). */
export function encodeSyncStep2Message(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.Sync);
	encoding.writeVarUint(encoder, SyncMessageType.Step2);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.Sync);
	encoding.writeVarUint(encoder, SyncMessageType.Update);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

export function encodeAwareness(awarenessUpdate: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MessageType.Awareness);
	encoding.writeVarUint8Array(encoder, awarenessUpdate);
	return encoding.toUint8Array(encoder);
}
