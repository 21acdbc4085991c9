import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { encodeAwareness, encodeSyncStep2Message } from './messages.js';

/** An answer ready to send, and what it cost the server to have it (for the connection's budget). */
export interface Answer {
	message: Uint8Array;
	/** Bytes sent, plus the size of the document when the answer had to be computed afresh. */
	cost: number;
}

/** State vectors up to this size are cached (a meeting's few editors make vectors of a few dozen bytes). */
const maxCachedVectorBytes = 1024;
/** Diffs cached per document state, beside the full state. */
const maxCachedDiffs = 8;

/**
 * The answers a document gives again and again, encoded once per state of the document and reused
 * (issue 20): the whole document for a sync step 1 with an empty state vector (every client's first
 * one), the diff for a few other state vectors, the awareness states for a query, and the snapshot
 * the socket.io `doc:snapshot` event returns. Encoding a 4 MB document took about 15 ms, and it was
 * done once per request: 1,000 four-byte requests from a view-only guest stalled every meeting for
 * 14.5 s.
 *
 * Any transaction on the document clears its answers: `afterTransaction` fires for every applied
 * update, also one whose structs wait for missing ones (those are part of the encoded state too, and
 * such an update emits no `update` event). Any awareness `update` clears the awareness answer.
 */
export class CachedAnswers {
	readonly #doc: Y.Doc;
	readonly #awareness: awarenessProtocol.Awareness;
	#full: Uint8Array | null = null;
	readonly #diffs = new Map<string, Uint8Array>();
	#snapshot: Uint8Array | null = null;
	#presence: Uint8Array | null = null;
	/** Size of the last full state encoded: what a diff against an unknown vector costs at most. */
	#fullBytes = 0;

	constructor(doc: Y.Doc, awareness: awarenessProtocol.Awareness) {
		this.#doc = doc;
		this.#awareness = awareness;
		doc.on('afterTransaction', this.#clearDocument);
		awareness.on('update', this.#clearPresence);
	}

	/** The sync step 2 message answering `stateVector`: everything the peer lacks. */
	syncStep2(stateVector: Uint8Array): Answer {
		if (Y.decodeStateVector(stateVector).size === 0) {
			let fresh = false;
			if (this.#full === null) {
				this.#full = encodeSyncStep2Message(Y.encodeStateAsUpdate(this.#doc));
				this.#fullBytes = this.#full.byteLength;
				fresh = true;
			}
			return { message: this.#full, cost: this.#full.byteLength * (fresh ? 2 : 1) };
		}
		const key = stateVector.byteLength <= maxCachedVectorBytes ? Buffer.from(stateVector).toString('latin1') : null;
		const cached = key === null ? undefined : this.#diffs.get(key);
		if (cached) return { message: cached, cost: cached.byteLength };
		// A diff walks the whole document (its deletions included) whatever the vector: it costs as
		// much as the full state, which is what the budget is charged beside the bytes sent.
		const message = encodeSyncStep2Message(Y.encodeStateAsUpdate(this.#doc, stateVector));
		if (key !== null) {
			if (this.#diffs.size >= maxCachedDiffs) this.#diffs.delete(this.#diffs.keys().next().value!);
			this.#diffs.set(key, message);
		}
		return { message, cost: message.byteLength + Math.max(this.#fullBytes, message.byteLength) };
	}

	/** Every awareness state of the document as one awareness message (an empty one when there is none). */
	presence(): Answer {
		this.#presence ??= encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.#awareness, [...this.#awareness.getStates().keys()]));
		return { message: this.#presence, cost: this.#presence.byteLength };
	}

	/** `Y.encodeSnapshot(Y.snapshot(doc))`: the state vector and deletions of the current state. */
	snapshot(): Uint8Array {
		this.#snapshot ??= Y.encodeSnapshot(Y.snapshot(this.#doc));
		return this.#snapshot;
	}

	destroy(): void {
		this.#doc.off('afterTransaction', this.#clearDocument);
		this.#awareness.off('update', this.#clearPresence);
		this.#clearDocument();
		this.#clearPresence();
	}

	#clearDocument = () => {
		this.#full = null;
		this.#diffs.clear();
		this.#snapshot = null;
	};

	#clearPresence = () => {
		this.#presence = null;
	};
}
