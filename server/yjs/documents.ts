import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { Logger } from '../log.js';
import type { DocumentStore } from './storage.js';
import { CloseCode } from '../../src/lib/protocol/close-codes.js';
import { encodeAwareness, encodeUpdate, ProtocolError, type AwarenessEntry } from './messages.js';
import { applyAwarenessEntries } from './presence.js';
import { maxTypeDepth, structsOf, typeDepthAfter, type Struct } from './nesting.js';
import { migrateDocument } from '../../src/lib/meeting/migrate.js';
import { CachedAnswers } from './answers.js';

/** Awareness clients one connection may speak for (a stock provider announces one: its document's). */
export const maxAwarenessClientsPerPeer = 8;

/**
 * A live connection to a document, as the document sees it. The document sends to it and closes it;
 * the transport (websocket, tests) decides how.
 */
export interface Peer {
	readonly id: string;
	/** Awareness client ids this peer has announced, so they can be removed when it leaves. */
	readonly awarenessClients: Set<number>;
	send(message: Uint8Array): void;
	close(code: number, reason: string): void;
}

/** Transaction origin of updates replayed from storage: never stored again, never relayed. */
export const storageOrigin = Symbol('storage');

/**
 * Transaction origin of the server's own change when it loads a document of an older layout
 * (`migrateDocument`). Stored like any update; not relayed, because it happens before any peer has
 * synced, so every peer receives it with the document.
 */
export const migrationOrigin = Symbol('migration');

export interface DocumentHooks {
	/** Called, for each stored update, with the seconds its batch took to become durable (the wait for its group commit included). */
	onStorageWrite?(seconds: number): void;
	onUpdateReceived?(): void;
	/**
	 * Called, for each update relayed, with the seconds from its arrival at the document to its relay:
	 * the queue, the checks, the durable append and the apply. What the server adds to an edit's way.
	 */
	onUpdateRelayed?(seconds: number): void;
}

export interface LiveDocumentOptions {
	store: DocumentStore;
	log: Logger;
	unloadDelayMs: number;
	compactAfterUpdates: number;
	hooks?: DocumentHooks;
	/**
	 * True once the meeting is closed: its document then accepts no update from anyone. Asked once,
	 * when the document loads; a meeting closed while it is loaded is marked with `markClosed` inside
	 * the document's queue, so an update queued before the close is stored and one after is not.
	 */
	isClosed?: (meetingId: string) => boolean;
	/** Largest stored size (snapshot plus logged updates) a document may reach. */
	maxDocumentBytes?: number;
	/** Resolves when the previous instance of this document has finished unloading. */
	previous?: Promise<void>;
	/** Called once when the document is unloaded or failed to load, so the registry forgets it. */
	onGone: (doc: LiveDocument) => void;
}

/** Updates taken into one storage batch at most (bounds the nesting check's work, see below). */
const maxUpdatesPerBatch = 64;

interface IncomingUpdate {
	peer: Peer;
	update: Uint8Array;
	structs: readonly Struct[];
	/** `performance.now()` when the document received it. */
	receivedAt: number;
	resolve: () => void;
	reject: (error: unknown) => void;
}

type State = 'loading' | 'ready' | 'unloading' | 'unloaded' | 'failed';

/** An update that would make the document larger than the configured maximum. */
export class DocumentTooLargeError extends Error {
	constructor(
		meetingId: string,
		readonly bytes: number
	) {
		super(`document of meeting ${meetingId} would grow to ${bytes} bytes`);
		this.name = 'DocumentTooLargeError';
	}
}

/** True for SQLite's "database or disk is full" (a full disk, or a page limit reached). */
export const isStorageFull = (error: unknown) =>
	error instanceof Error && 'code' in error && (error as { code: unknown }).code === 'SQLITE_FULL';

export class DocumentUnavailableError extends Error {
	constructor(meetingId: string, cause?: unknown) {
		super(`document of meeting ${meetingId} is not available`, { cause });
		this.name = 'DocumentUnavailableError';
	}
}

/**
 * One meeting's Y.Doc in memory, with its peers and its storage. Every operation that reads or
 * writes the document runs through one serial queue: load first, then messages in arrival order,
 * compaction and unload last. That queue is what makes "stored before relayed" and "never unload
 * with a write pending" hold without locks.
 */
export class LiveDocument {
	readonly meetingId: string;
	readonly doc = new Y.Doc();
	readonly awareness = new awarenessProtocol.Awareness(this.doc);
	/** Answers encoded once per state and reused (answers.ts): read them inside `run`. */
	readonly answers = new CachedAnswers(this.doc, this.awareness);
	readonly loaded: Promise<void>;
	readonly unloaded: Promise<void>;

	#state: State = 'loading';
	#tail: Promise<unknown>;
	#pending = 0;
	#peers = new Set<Peer>();
	/** Which peer announced each awareness client id. */
	#awarenessOwners = new Map<number, Peer>();
	#unloadTimer: NodeJS.Timeout | undefined;
	#lastUpdateId = 0;
	#logLength = 0;
	/** Bytes stored for this document: its snapshot and its logged updates. */
	#storedBytes = 0;
	#compactionQueued = false;
	#closed = false;
	/** Updates received and not yet taken into a batch; `#storeQueued` while a batch task is queued. */
	#incoming: IncomingUpdate[] = [];
	#storeQueued = false;
	#resolveUnloaded!: () => void;
	readonly #options: LiveDocumentOptions;
	readonly #log: Logger;

	constructor(meetingId: string, options: LiveDocumentOptions) {
		this.meetingId = meetingId;
		this.#options = options;
		this.#log = options.log.child({ meetingId });
		this.unloaded = new Promise((resolve) => (this.#resolveUnloaded = resolve));
		// The server holds no awareness state of its own; it only relays its peers'.
		this.awareness.setLocalState(null);
		this.doc.on('update', this.#relayUpdate);
		this.awareness.on('update', this.#relayAwareness);
		this.#tail = Promise.resolve();
		this.loaded = this.#enqueue(async () => {
			await options.previous;
			await this.#load();
		});
		// Callers of `loaded` handle the failure; this keeps it from surfacing as unhandled.
		this.loaded.catch(() => {});
	}

	get state(): State {
		return this.#state;
	}

	/** True while new peers may join this instance; otherwise the registry starts a fresh one. */
	get acceptsPeers(): boolean {
		return this.#state === 'loading' || this.#state === 'ready';
	}

	get peerCount(): number {
		return this.#peers.size;
	}

	/** Updates in the stored log that are not yet compacted into the snapshot. */
	get logLength(): number {
		return this.#logLength;
	}

	/** Tasks queued or running: writes not yet stored and applied. */
	get pendingTasks(): number {
		return this.#pending;
	}

	attach(peer: Peer): void {
		if (!this.acceptsPeers) throw new DocumentUnavailableError(this.meetingId);
		clearTimeout(this.#unloadTimer);
		this.#unloadTimer = undefined;
		this.#peers.add(peer);
	}

	detach(peer: Peer): void {
		if (!this.#peers.delete(peer)) return;
		if (peer.awarenessClients.size > 0) {
			awarenessProtocol.removeAwarenessStates(this.awareness, [...peer.awarenessClients], peer);
		}
		if (this.#peers.size === 0 && this.#state === 'ready') this.#scheduleUnload();
	}

	#scheduleUnload(): void {
		clearTimeout(this.#unloadTimer);
		this.#unloadTimer = setTimeout(() => void this.unload(), this.#options.unloadDelayMs);
		this.#unloadTimer.unref();
	}

	/**
	 * Runs `task` after everything queued before it; the document is loaded when it runs. Tasks queued
	 * before an unload still run while it is `unloading` (the unload's own task comes after them), so a
	 * write received before the last peer left is stored, not dropped (server/yjs/documents.test.ts).
	 */
	run<T>(task: () => T | Promise<T>): Promise<T> {
		return this.#enqueue(() => {
			if (this.#state !== 'ready' && this.#state !== 'unloading') throw new DocumentUnavailableError(this.meetingId);
			return task();
		});
	}

	/**
	 * Stores a peer's update, then applies it, then relays it to every other peer — in that order.
	 * Resolves once all three happened; rejects (having applied and relayed nothing) if storing failed
	 * or the update was refused.
	 *
	 * Updates that arrive while the document is busy wait together and are stored as one batch (one
	 * transaction, server/yjs/storage.ts), then applied and relayed in arrival order: a burst from one
	 * client costs one commit, not one each.
	 * `structs` is the update decoded, when the caller has decoded it already (server/yjs/messages.ts).
	 */
	receiveUpdate(peer: Peer, update: Uint8Array, structs: readonly Struct[] = structsOf(update)): Promise<void> {
		this.#options.hooks?.onUpdateReceived?.();
		const receivedAt = performance.now();
		return new Promise((resolve, reject) => {
			this.#incoming.push({ peer, update, structs, receivedAt, resolve, reject });
			if (!this.#storeQueued) this.#queueStore();
		});
	}

	/** Queues the task that stores the updates waiting; `#storeQueued` until it takes them. */
	#queueStore(): void {
		this.#storeQueued = true;
		this.run(() => this.#storeIncoming()).catch((error: unknown) => {
			// The document could not take the batch at all (it failed to load or has unloaded).
			this.#storeQueued = false;
			for (const waiting of this.#incoming.splice(0)) waiting.reject(error);
		});
	}

	/** Takes the updates waiting, at most `maxUpdatesPerBatch`, and queues a task for the rest. */
	async #storeIncoming(): Promise<void> {
		const batch = this.#incoming.splice(0, maxUpdatesPerBatch);
		if (this.#incoming.length > 0) this.#queueStore();
		else this.#storeQueued = false;
		try {
			await this.#storeBatch(batch);
		} catch (error) {
			// Whatever failed unexpectedly, no sender waits forever (settling twice changes nothing).
			for (const { reject } of batch) reject(error);
		}
	}

	/** Checks, stores, applies and relays one batch; refuses each update that fails on its own. */
	async #storeBatch(batch: IncomingUpdate[]): Promise<void> {
		// A closed meeting's plan is an immutable version: a late update is neither stored nor relayed.
		if (this.#closed) {
			for (const { resolve } of batch) resolve();
			return;
		}
		const accepted: IncomingUpdate[] = [];
		/** The structs of `accepted`, for the nesting check of the updates after them. */
		const before: (readonly Struct[])[] = [];
		let bytes = this.#storedBytes;
		const max = this.#options.maxDocumentBytes;
		for (const incoming of batch) {
			try {
				if (max !== undefined && bytes + incoming.update.byteLength > max) {
					throw new DocumentTooLargeError(this.meetingId, bytes + incoming.update.byteLength);
				}
				if (typeDepthAfter(this.doc, incoming.structs, maxTypeDepth, before) > maxTypeDepth) {
					throw new ProtocolError(CloseCode.MalformedMessage, `shared types nested deeper than ${maxTypeDepth} levels`);
				}
			} catch (error) {
				incoming.reject(error);
				continue;
			}
			bytes += incoming.update.byteLength;
			accepted.push(incoming);
			before.push(incoming.structs);
		}
		if (accepted.length === 0) return;

		const started = performance.now();
		let ids: number[];
		try {
			// Appended together, so one transaction: all of them are stored, or none.
			ids = await Promise.all(accepted.map(({ update }) => this.#options.store.append(this.meetingId, update)));
		} catch (error) {
			for (const { reject } of accepted) reject(error);
			return;
		}
		const seconds = (performance.now() - started) / 1000;
		const hooks = this.#options.hooks;
		accepted.forEach(({ peer, update, receivedAt, resolve, reject }, i) => {
			hooks?.onStorageWrite?.(seconds);
			this.#lastUpdateId = ids[i]!;
			this.#logLength++;
			this.#storedBytes += update.byteLength;
			try {
				// Relayed inside, by the document's `update` event.
				Y.applyUpdate(this.doc, update, peer);
				hooks?.onUpdateRelayed?.((performance.now() - receivedAt) / 1000);
				resolve();
			} catch (error) {
				reject(error);
			}
		});
		if (this.#logLength >= this.#options.compactAfterUpdates && !this.#compactionQueued) {
			this.#compactionQueued = true;
			void this.#enqueue(() => this.#compact('log length')).catch((error: unknown) =>
				this.#log.error({ err: error }, 'compaction failed; the update log is kept')
			);
		}
	}

	/**
	 * Marks the meeting closed: from now on no update is stored or relayed. Call it inside a task of
	 * this document's queue (`run`), in the same task that records the close, so the plan version
	 * holds exactly the updates queued before it.
	 */
	markClosed(): void {
		this.#closed = true;
	}

	/**
	 * Applies a peer's awareness entries; awareness is presence, never stored. A peer may only set or
	 * remove the states of client ids it announced first, never another peer's. `first` is true for the
	 * connection's first awareness message, whatever became of it (see `#speaksFor`).
	 */
	receiveAwareness(peer: Peer, entries: AwarenessEntry[], first = false): Promise<void> {
		return this.run(() => {
			// Queued before its peer left: a peer gone must not announce clients again, or nobody could
			// speak for them until Awareness's timeout.
			if (!this.#peers.has(peer)) return;
			const own = entries.filter((entry) => this.#speaksFor(peer, entry, first));
			if (own.length === 0) return;
			const announced = new Set(own.filter((entry) => !this.#awarenessOwners.has(entry.clientId)).map((entry) => entry.clientId));
			if (peer.awarenessClients.size + announced.size > maxAwarenessClientsPerPeer) {
				// A stock provider speaks for one client; thousands in one message would be relayed to every peer.
				throw new ProtocolError(CloseCode.MalformedMessage, `awareness for more than ${maxAwarenessClientsPerPeer} clients`);
			}
			// A client coming back after its connection ended announces the clock it had, which the
			// server and every peer have seen already: Awareness would ignore it until the client's next
			// change (the stock provider renews every 15 s), so after a reconnect it would be missing
			// from everyone's presence. A connection's first announcement is its own client (the stock
			// provider sends it on open, before anything else): its return is news and gets the next
			// clock (tests/integration/reconnect-storm.test.ts, server/yjs/presence.test.ts).
			const fresh = !first
				? own
				: own.map((entry) => {
						if (entry.state === null || this.awareness.states.has(entry.clientId)) return entry;
						const seen = this.awareness.meta.get(entry.clientId)?.clock;
						return seen !== undefined && seen >= entry.clock ? { ...entry, clock: seen + 1 } : entry;
					});
			applyAwarenessEntries(this.awareness, fresh, peer);
		});
	}

	/**
	 * Whether a peer's awareness entry is the peer's to make. Never for a client another peer
	 * announced. For a client nobody speaks for now: not a removal (it changes nothing, but Awareness
	 * would keep a record of it as long as the document is loaded: unbounded memory from one message);
	 * and, after the connection's first awareness message, only a state newer than the last one seen —
	 * the stock provider repeats every presence change it receives, and a repeat of a client that has
	 * just left must not bring it back as this peer's. "First" is the connection's first message, not
	 * "while the peer speaks for nobody": a provider whose own state Awareness never took (the initial
	 * state at clock 0) speaks for nobody, and its repeats took over clients whose connection had just
	 * closed, so their next connection could not speak for them (tests/integration/fuzz.test.ts).
	 */
	#speaksFor(peer: Peer, entry: AwarenessEntry, first: boolean): boolean {
		const owner = this.#awarenessOwners.get(entry.clientId);
		if (owner !== undefined) return owner === peer;
		if (entry.state === null) return false;
		if (first) return true;
		const seen = this.awareness.meta.get(entry.clientId)?.clock;
		return seen === undefined || entry.clock > seen;
	}

	/**
	 * True when a peer's awareness entries would change nothing (each is another peer's client, or a
	 * repeat): the stock provider sends on every awareness change it receives, so most of what it
	 * sends repeats other peers' presence, and those are dropped without counting against its limit.
	 */
	onlyRepeatsOthers(peer: Peer, entries: AwarenessEntry[], first = false): boolean {
		return !entries.some((entry) => this.#speaksFor(peer, entry, first));
	}

	/** Unloads now if no peer is attached: waits for pending writes, compacts, frees memory. */
	unload(): Promise<void> {
		if (this.#state !== 'ready' || this.#peers.size > 0) return this.unloaded;
		clearTimeout(this.#unloadTimer);
		this.#state = 'unloading';
		void this.#enqueue(async () => {
			try {
				if (this.#logLength > 0) await this.#compact('unload');
			} catch (error) {
				this.#log.error({ err: error }, 'compaction at unload failed; the update log is kept');
			}
			this.#finish('unloaded');
		});
		return this.unloaded;
	}

	/** Closes every peer (for shutdown), then unloads. */
	async shutdown(code: number, reason: string): Promise<void> {
		for (const peer of [...this.#peers]) {
			peer.close(code, reason);
			this.detach(peer);
		}
		if (this.#state === 'loading') await this.loaded.catch(() => {});
		await this.unload();
	}

	#enqueue<T>(task: () => T | Promise<T>): Promise<T> {
		this.#pending++;
		const run = this.#tail.then(task).finally(() => this.#pending--);
		this.#tail = run.catch(() => {});
		return run;
	}

	async #load(): Promise<void> {
		try {
			const stored = await this.#options.store.load(this.meetingId);
			this.doc.transact(() => {
				if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot);
				for (const update of stored.updates) Y.applyUpdate(this.doc, update);
			}, storageOrigin);
			this.#closed = this.#options.isClosed?.(this.meetingId) ?? false;
			this.#lastUpdateId = stored.lastUpdateId;
			this.#logLength = stored.updates.length;
			this.#storedBytes = (stored.snapshot?.byteLength ?? 0) + stored.updates.reduce((sum, u) => sum + u.byteLength, 0);
			await this.#migrate();
			this.#state = 'ready';
			this.#log.debug({ logLength: this.#logLength }, 'document loaded');
			// Every peer may have left while it loaded; detach could not schedule the unload then.
			if (this.#peers.size === 0) this.#scheduleUnload();
		} catch (error) {
			// Nothing is written for a document that failed to load, so what is stored stays as it was.
			this.#log.error({ err: error }, 'document failed to load');
			for (const peer of this.#peers) peer.close(1011, 'could not load the meeting');
			this.#peers.clear();
			this.#finish('failed');
			throw new DocumentUnavailableError(this.meetingId, error);
		}
	}

	/**
	 * Brings a document of an older layout up to the current one (docs/document-model.md), before any
	 * peer syncs: structure the layout needs is created here, once, by the server, never by a browser
	 * racing another one (issue #19). Stored like a peer's update, so the next load finds it done. A
	 * closed meeting's document stays as it was closed: it accepts nothing, and readers read either layout.
	 */
	async #migrate(): Promise<void> {
		if (this.#closed) return;
		let update: Uint8Array | undefined;
		const capture = (changes: Uint8Array, origin: unknown) => {
			if (origin === migrationOrigin) update = changes;
		};
		this.doc.on('update', capture);
		try {
			migrateDocument(this.doc, migrationOrigin);
		} finally {
			this.doc.off('update', capture);
		}
		if (!update) return;
		// A failure here fails the load: the migrated state in memory is then thrown away with the document.
		this.#lastUpdateId = await this.#options.store.append(this.meetingId, update);
		this.#logLength++;
		this.#storedBytes += update.byteLength;
		this.#log.info({ bytes: update.byteLength }, 'document migrated to the current layout');
	}

	async #compact(reason: string): Promise<void> {
		this.#compactionQueued = false;
		if (this.#state === 'failed' || this.#state === 'unloaded') return;
		const through = this.#lastUpdateId;
		const snapshot = Y.encodeStateAsUpdate(this.doc);
		await this.#options.store.compact(this.meetingId, snapshot, through);
		this.#storedBytes = snapshot.byteLength;
		this.#log.debug({ reason, compacted: this.#logLength, bytes: snapshot.byteLength }, 'update log compacted');
		this.#logLength = 0;
	}

	#finish(state: 'unloaded' | 'failed'): void {
		this.#state = state;
		clearTimeout(this.#unloadTimer);
		this.doc.off('update', this.#relayUpdate);
		this.awareness.off('update', this.#relayAwareness);
		this.answers.destroy();
		this.awareness.destroy();
		this.doc.destroy();
		this.#options.onGone(this);
		this.#resolveUnloaded();
	}

	#relayUpdate = (update: Uint8Array, origin: unknown) => {
		if (origin === storageOrigin || origin === migrationOrigin) return;
		const message = encodeUpdate(update);
		for (const peer of this.#peers) if (peer !== origin) peer.send(message);
	};

	#relayAwareness = (
		{ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
		origin: unknown
	) => {
		const changed = [...added, ...updated, ...removed];
		if (origin instanceof Object && 'awarenessClients' in origin) {
			const peer = origin as Peer;
			// `updated`, not only `added`: a client that returns after its state was removed is
			// "updated" to Awareness (it remembers the client), and without an owner its state would
			// outlive its connection and be anyone's to change (tests/integration/fuzz.test.ts).
			for (const id of [...added, ...updated]) {
				if (this.#awarenessOwners.has(id)) continue;
				peer.awarenessClients.add(id);
				this.#awarenessOwners.set(id, peer);
			}
		}
		// Removed by its peer, by the peer leaving, or by Awareness's 30 s timeout: forget the owner.
		for (const id of removed) {
			this.#awarenessOwners.get(id)?.awarenessClients.delete(id);
			this.#awarenessOwners.delete(id);
		}
		const message = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
		// Echoed to the sender too, as the reference server does: the stock provider counts it as
		// traffic and would otherwise reconnect every 30 s when it is alone in the meeting.
		for (const peer of this.#peers) peer.send(message);
	};
}

export interface RegistryOptions extends Omit<LiveDocumentOptions, 'previous' | 'onGone'> {}

/** The process's one map from meeting id to live document. */
export class DocumentRegistry {
	readonly #documents = new Map<string, LiveDocument>();
	readonly #options: RegistryOptions;

	constructor(options: RegistryOptions) {
		this.#options = options;
	}

	/**
	 * The live document of a meeting, loading it if needed. If the loaded instance is unloading,
	 * a fresh one is started that loads only after the old one has stored everything, so a peer
	 * arriving inside the unload window never sees a stale or empty document.
	 */
	acquire(meetingId: string): LiveDocument {
		const current = this.#documents.get(meetingId);
		if (current?.acceptsPeers) return current;
		const doc = new LiveDocument(meetingId, {
			...this.#options,
			previous: current?.unloaded,
			onGone: (gone) => {
				if (this.#documents.get(meetingId) === gone) this.#documents.delete(meetingId);
			}
		});
		this.#documents.set(meetingId, doc);
		return doc;
	}

	get(meetingId: string): LiveDocument | undefined {
		return this.#documents.get(meetingId);
	}

	/**
	 * Reads a meeting's document without keeping it loaded: the live one (after every write queued
	 * before this call) when it is loaded, else a throwaway copy of what is stored. Stored data is
	 * always complete (updates are appended before they are relayed), so both agree.
	 */
	async read<T>(meetingId: string, reader: (doc: Y.Doc) => T): Promise<T> {
		const live = this.#documents.get(meetingId);
		if (live?.state === 'ready') {
			try {
				return await live.run(() => reader(live.doc));
			} catch (error) {
				if (!(error instanceof DocumentUnavailableError)) throw error;
			}
		}
		const stored = await this.#options.store.load(meetingId);
		const doc = new Y.Doc();
		try {
			doc.transact(() => {
				if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
				for (const update of stored.updates) Y.applyUpdate(doc, update);
			}, storageOrigin);
			return reader(doc);
		} finally {
			doc.destroy();
		}
	}

	get size(): number {
		return this.#documents.size;
	}

	documents(): IterableIterator<LiveDocument> {
		return this.#documents.values();
	}

	/** Closes all peers and unloads every document, storing what is pending. */
	async shutdown(code: number, reason: string): Promise<void> {
		await Promise.all([...this.#documents.values()].map((doc) => doc.shutdown(code, reason)));
	}
}
