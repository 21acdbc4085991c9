import type { WebSocket } from 'ws';
import { CloseCode, closeReasons } from '../../src/lib/protocol/close-codes.js';
import type { Logger } from '../log.js';
import { isStorageFull } from '../db/database.js';
import { TokenBucket } from '../rate-limit.js';
import { DocumentTooLargeError, DocumentUnavailableError } from './document-errors.js';
import type { LiveDocument } from './live-document.js';
import type { Peer } from './peer.js';
import { defaultLimits, type ConnectionLimits } from './limits.js';
import type { HeldSocket } from './held-writes.js';
import type { Answer } from './answers.js';
import { encodeSyncStep1, parseMessage, ProtocolError, type AwarenessEntry } from './messages.js';

const binaryFrame = { binary: true } as const;

/** Caret colours for remote participants: dark enough for text contrast on white (WCAG AA). */
const palette = ['#1d4ed8', '#b91c1c', '#047857', '#7c3aed', '#b45309', '#0e7490', '#be185d', '#4d7c0f'];

export function colorFor(participantId: string): string {
	let hash = 0;
	for (const char of participantId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
	return palette[hash % palette.length]!;
}

/**
 * The `user` field the server puts in each of a participant's awareness states. `name` is the
 * coordinator's record; `chosenName`, present only when a guest chose another name when joining, is
 * for showing beside it (issue #20 item 8).
 */
export type AwarenessUser = Readonly<{ name: string; chosenName?: string; role: string; participantId: string; color: string; colorLight: string }>;

export function awarenessUserOf(identity: PeerIdentity): AwarenessUser {
	const color = colorFor(identity.participantId);
	const chosen = identity.chosenName ? { chosenName: identity.chosenName } : {};
	return Object.freeze({ name: identity.name, ...chosen, role: identity.role, participantId: identity.participantId, color, colorLight: `${color}33` });
}

/**
 * Replaces the `user` field of each awareness state with the server's record of the participant,
 * so nobody can appear as someone else.
 */
export function withServerIdentity(entries: AwarenessEntry[], user: AwarenessUser): AwarenessEntry[] {
	return entries.map((entry) => (entry.state === null ? entry : { ...entry, state: { ...entry.state, user } }));
}

/** Who is on the other end, as the server knows it (never as the peer claims). */
export interface PeerIdentity {
	participantId: string;
	userId: string | null;
	name: string;
	/** The name a guest chose when joining, shown beside `name`; null or absent: none. */
	chosenName?: string | null;
	role: string;
	/** `view` access: the server drops this peer's updates and awareness. */
	canWrite: boolean;
	/** The session that opened the connection: its end closes the connection (server/connections.ts). */
	sessionId?: string | null;
}

export interface ConnectionOptions {
	id: string;
	identity: PeerIdentity;
	log: Logger;
	/** A peer whose unsent data exceeds this is closed with 1013 (a slow consumer). */
	maxBufferedBytes: number;
	limits?: ConnectionLimits;
	/** What holds the websocket's writes until a batch of work is done (held-writes.ts). */
	writes?: HeldSocket;
}

/**
 * One websocket on `/yjs/<meetingId>`: decodes what the peer sends (handle message), hands updates to
 * the live document (store, apply, relay) and sends what the document relays back.
 */
export class YjsConnection implements Peer {
	readonly id: string;
	readonly identity: PeerIdentity;
	readonly awarenessClients = new Set<number>();
	readonly #ws: WebSocket;
	/** Made once: the identity does not change during a connection, and presence changes come often. */
	readonly #awarenessUser: AwarenessUser;
	readonly #doc: LiveDocument;
	readonly #log: Logger;
	readonly #maxBufferedBytes: number;
	readonly #limits: ConnectionLimits;
	readonly #writes: ConnectionOptions['writes'];
	readonly #updates: TokenBucket;
	readonly #awareness: TokenBucket;
	/** Sync step 1 and query awareness: each asks the server for an answer. */
	readonly #requests: TokenBucket;
	/** Bytes of answers sent (limits.ts): charged after each answer, so it may run into debt. */
	readonly #answerBytes: TokenBucket;
	/** Bytes and messages received and queued in the document but not processed yet. */
	#queuedBytes = 0;
	#queuedMessages = 0;
	#closed = false;
	/** Whether the peer has sent an awareness message yet (its first may announce a returning client). */
	#spokeAwareness = false;

	constructor(ws: WebSocket, doc: LiveDocument, options: ConnectionOptions) {
		this.id = options.id;
		this.identity = options.identity;
		this.#awarenessUser = awarenessUserOf(options.identity);
		this.#ws = ws;
		this.#doc = doc;
		this.#log = options.log;
		this.#maxBufferedBytes = options.maxBufferedBytes;
		this.#limits = options.limits ?? defaultLimits;
		this.#writes = options.writes;
		this.#updates = new TokenBucket(this.#limits.updatesPerSecond, this.#limits.updateBurst);
		this.#awareness = new TokenBucket(this.#limits.awarenessPerSecond, this.#limits.awarenessBurst);
		this.#requests = new TokenBucket(this.#limits.requestsPerSecond, this.#limits.requestBurst);
		this.#answerBytes = new TokenBucket(this.#limits.answerBytesPerSecond, this.#limits.answerBurstBytes);
	}

	/** Greets the peer once the document is loaded: our state vector and who else is here. */
	start(): void {
		this.#doc
			.run(() => {
				this.send(encodeSyncStep1(this.#doc.doc));
				// Not charged: once per connection, and a peer must not start in debt for the others' presence.
				if (this.#doc.awareness.getStates().size > 0) this.send(this.#doc.answers.presence().message);
			})
			.catch((error: unknown) => this.#fail('start', error));
	}

	receive(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
		if (this.#closed) return;
		if (!isBinary) {
			this.close(CloseCode.UnsupportedMessageType, 'text frames are not accepted');
			return;
		}
		const frame = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data;
		let message;
		try {
			message = parseMessage(frame);
		} catch (error) {
			if (!(error instanceof ProtocolError)) throw error;
			this.#log.warn({ code: error.code, reason: error.message, bytes: frame.byteLength }, 'refused a message');
			this.close(error.code, closeReasons[error.code]);
			return;
		}
		let firstAwareness = false;
		if (message.type === 'awareness') {
			firstAwareness = !this.#spokeAwareness;
			this.#spokeAwareness = true;
			// Dropped at the door, neither queued nor counted: the stock provider repeats every presence
			// change it receives, so counting repeats would close a peer for the others' activity
			// (tests/integration/faults.test.ts).
			if (this.#doc.onlyRepeatsOthers(this, message.entries, firstAwareness)) return;
		}
		// Every message counts against a budget of its kind (docs/close-codes.md, "Limits").
		const bucket = message.type === 'update' ? this.#updates : message.type === 'awareness' ? this.#awareness : this.#requests;
		if (!bucket.take()) {
			this.#log.warn({ type: message.type }, 'closing a peer over its rate limit');
			this.close(CloseCode.RateLimited, closeReasons[CloseCode.RateLimited]);
			return;
		}
		if (
			this.#queuedBytes + frame.byteLength > this.#limits.maxQueuedBytes ||
			this.#queuedMessages + 1 > this.#limits.maxQueuedMessages
		) {
			this.#log.warn(
				{ queuedBytes: this.#queuedBytes, queuedMessages: this.#queuedMessages },
				'closing a peer whose unprocessed messages exceed the cap'
			);
			this.close(CloseCode.TryAgainLater, closeReasons[CloseCode.TryAgainLater]);
			return;
		}
		const size = frame.byteLength;
		this.#queuedBytes += size;
		this.#queuedMessages++;
		const done = () => {
			this.#queuedBytes -= size;
			this.#queuedMessages--;
		};
		switch (message.type) {
			case 'sync-step-1': {
				const stateVector = message.stateVector;
				this.#doc
					.run(() => this.#answer('sync', () => this.#doc.answers.syncStep2(stateVector)))
					.catch((error: unknown) => this.#fail('sync', error))
					.finally(done);
				break;
			}
			case 'update':
				// A `view` peer's updates are dropped, not refused: its editor is read-only, and a raw
				// client's attempt neither reaches another peer nor the disk.
				if (message.empty || !this.identity.canWrite) {
					done();
					break;
				}
				this.#doc
					.receiveUpdate(this, message.update, message.structs, message.deletions)
					.catch((error: unknown) => this.#fail('update', error))
					.finally(done);
				break;
			case 'awareness':
				if (!this.identity.canWrite) {
					done();
					break;
				}
				this.#doc
					.receiveAwareness(this, withServerIdentity(message.entries, this.#awarenessUser), firstAwareness)
					.catch((error: unknown) => this.#fail('awareness', error))
					.finally(done);
				break;
			case 'query-awareness':
				this.#doc
					.run(() => this.#answer('query-awareness', () => this.#doc.answers.presence()))
					.catch((error: unknown) => this.#fail('query-awareness', error))
					.finally(done);
				break;
		}
	}

	/**
	 * Sends an answer, taken from the document's cache (answers.ts) or computed, and charges its cost
	 * to the connection's answer budget. Nothing is computed for a connection that has closed (its
	 * queued requests are skipped) or whose budget is in debt (it is closed with 4429).
	 */
	#answer(step: string, answer: () => Answer): void {
		if (this.#closed) return;
		if (!this.#answerBytes.available()) {
			this.#log.warn({ step }, 'closing a peer over its answer budget');
			this.close(CloseCode.RateLimited, closeReasons[CloseCode.RateLimited]);
			return;
		}
		const result = answer();
		this.#answerBytes.spend(result.cost);
		this.send(result.message);
	}

	send(message: Uint8Array): void {
		if (this.#closed || this.#ws.readyState !== this.#ws.OPEN) return;
		if (this.#ws.bufferedAmount + message.byteLength > this.#maxBufferedBytes) {
			this.#log.warn({ buffered: this.#ws.bufferedAmount }, 'closing a slow consumer');
			this.close(CloseCode.TryAgainLater, closeReasons[CloseCode.TryAgainLater]);
			return;
		}
		this.#writes?.hold(message.byteLength);
		// No callback: a failed write errors the socket, ws closes the connection, and the endpoint logs
		// the socket's error and the close. A closure per send, held until the kernel took the bytes,
		// was garbage for the old generation (docs/performance.md).
		this.#ws.send(message, binaryFrame);
	}

	/**
	 * Closes the connection and leaves the document at once: a peer the server refuses stops speaking
	 * for its presence now, not when the closing handshake ends, so a connection that replaces it can
	 * announce the same clients (tests/integration/fuzz.test.ts reconnects right after each refusal).
	 */
	close(code: number, reason: string): void {
		if (this.#closed) return;
		this.#closed = true;
		this.#ws.close(code, reason);
		this.#doc.detach(this);
	}

	#fail(step: string, error: unknown): void {
		if (error instanceof DocumentUnavailableError && this.#closed) return;
		if (error instanceof ProtocolError) {
			// Refused against the live document (nesting too deep, too many awareness clients): nothing stored.
			this.#log.warn({ step, code: error.code, reason: error.message }, 'refused a message');
			this.close(error.code, closeReasons[error.code]);
			return;
		}
		if (error instanceof DocumentTooLargeError) {
			this.#log.warn({ step, bytes: error.bytes }, 'refused an update: the document would be too large');
			this.close(CloseCode.DocumentTooLarge, closeReasons[CloseCode.DocumentTooLarge]);
			return;
		}
		if (isStorageFull(error)) {
			// Loud: nothing was stored or relayed; the peer keeps the update and sends it again later.
			this.#log.error({ err: error, step }, 'storage is full: refusing writes');
			this.close(CloseCode.StorageFull, closeReasons[CloseCode.StorageFull]);
			return;
		}
		this.#log.error({ err: error, step }, 'closing the connection after a failure');
		this.close(CloseCode.InternalError, closeReasons[CloseCode.InternalError]);
	}
}
