import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { Logger } from '../log.js';
import type { DocumentStore } from './storage.js';
import { encodeAwareness, encodeUpdate, type AwarenessEntry, type Deletions } from './messages.js';
import { structsOf, type Struct } from './nesting.js';
import { migrateDocument } from '../../src/lib/meeting/migrate.js';
import { CachedAnswers } from './answers.js';
import { DocumentUnavailableError } from './document-errors.js';
import { DocumentLog } from './document-log.js';
import { isTransactionOrigin, migrationOrigin, peerOf } from './origins.js';
import type { Peer } from './peer.js';
import { PresenceOwnership } from './presence-ownership.js';
import { WriteBatch, type DocumentHooks, type WrittenForPolicy } from './write-batch.js';

export interface LiveDocumentOptions {
	store: DocumentStore;
	log: Logger;
	unloadDelayMs: number;
	compactAfterUpdates: number;
	hooks?: DocumentHooks;
	/** Who may write in whose perspective, and the record of who did (write-batch.ts). */
	writtenFor?: WrittenForPolicy;
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

type State = 'loading' | 'ready' | 'unloading' | 'unloaded' | 'failed';

/**
 * One meeting's Y.Doc in memory, with its peers, and its lifecycle: load, serve, unload. Every
 * operation that reads or writes the document runs through one serial queue: load first, then
 * messages in arrival order, compaction and unload last. That queue is what makes "stored before
 * relayed" and "never unload with a write pending" hold without locks. The write path is
 * `WriteBatch` (write-batch.ts), who owns which presence `PresenceOwnership` (presence-ownership.ts),
 * what is stored `DocumentLog` (document-log.ts).
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
	#unloadTimer: NodeJS.Timeout | undefined;
	#compactionQueued = false;
	#closed = false;
	#resolveUnloaded!: () => void;
	readonly #storedLog: DocumentLog;
	readonly #writes: WriteBatch;
	readonly #presence: PresenceOwnership;
	readonly #options: LiveDocumentOptions;
	readonly #log: Logger;

	constructor(meetingId: string, options: LiveDocumentOptions) {
		this.meetingId = meetingId;
		this.#options = options;
		this.#log = options.log.child({ meetingId });
		this.#storedLog = new DocumentLog(meetingId, options.store);
		this.#writes = new WriteBatch({
			meetingId,
			doc: this.doc,
			log: this.#storedLog,
			run: (task) => this.run(task),
			isClosed: () => this.#closed,
			maxDocumentBytes: options.maxDocumentBytes,
			hooks: options.hooks,
			writtenFor: options.writtenFor,
			afterStore: () => this.#compactIfLong()
		});
		this.#presence = new PresenceOwnership(this.awareness, this.#log);
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
		return this.#storedLog.length;
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
		this.#presence.release(peer);
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
	 * Stores a peer's update, then applies it, then relays it to every other peer — in that order
	 * (write-batch.ts). Resolves once all three happened; rejects (having applied and relayed nothing)
	 * if storing failed or the update was refused. `structs` is the update decoded, when the caller
	 * has decoded it already (server/yjs/messages.ts).
	 */
	receiveUpdate(peer: Peer, update: Uint8Array, structs: readonly Struct[] = structsOf(update), deletions?: Deletions): Promise<void> {
		return this.#writes.receive(peer, update, structs, deletions);
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
	 * Applies a peer's awareness entries; awareness is presence, never stored. A peer may set or remove
	 * only the states of clients it owns (presence-ownership.ts). `first` is true for the connection's
	 * first awareness message, whatever became of it.
	 */
	receiveAwareness(peer: Peer, entries: AwarenessEntry[], first = false): Promise<void> {
		return this.run(() => {
			// Queued before its peer left: a peer gone must not claim clients again, or nobody could
			// speak for them until it is forgotten.
			if (!this.#peers.has(peer)) return;
			this.#presence.receive(peer, entries, first);
		});
	}

	/**
	 * True when a peer's awareness entries would change nothing (each is a repeat of another peer's
	 * presence): the stock provider sends on every awareness change it receives, so most of what it
	 * sends repeats other peers' presence, and those are dropped without counting against its limit.
	 * An attempt to set or remove another peer's client is not a repeat: it counts, and is dropped.
	 */
	onlyRepeatsOthers(peer: Peer, entries: AwarenessEntry[], first = false): boolean {
		return this.#presence.onlyRepeats(peer, entries, first);
	}

	/** Unloads now if no peer is attached: waits for pending writes, compacts, frees memory. */
	unload(): Promise<void> {
		if (this.#state !== 'ready' || this.#peers.size > 0) return this.unloaded;
		clearTimeout(this.#unloadTimer);
		this.#state = 'unloading';
		void this.#enqueue(async () => {
			try {
				if (this.#storedLog.length > 0) await this.#compact('unload');
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
			await this.#storedLog.loadInto(this.doc);
			this.#closed = this.#options.isClosed?.(this.meetingId) ?? false;
			await this.#migrate();
			this.#state = 'ready';
			this.#log.debug({ logLength: this.#storedLog.length }, 'document loaded');
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
		await this.#storedLog.append([update]);
		this.#log.info({ bytes: update.byteLength }, 'document migrated to the current layout');
	}

	/** After a batch is stored: queues a compaction once the log has grown long enough. */
	#compactIfLong(): void {
		if (this.#storedLog.length < this.#options.compactAfterUpdates || this.#compactionQueued) return;
		this.#compactionQueued = true;
		void this.#enqueue(() => this.#compact('log length')).catch((error: unknown) =>
			this.#log.error({ err: error }, 'compaction failed; the update log is kept')
		);
	}

	async #compact(reason: string): Promise<void> {
		this.#compactionQueued = false;
		if (this.#state === 'failed' || this.#state === 'unloaded') return;
		const { compacted, bytes } = await this.#storedLog.compact(this.doc);
		this.#log.debug({ reason, compacted, bytes }, 'update log compacted');
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

	/** Relays a peer's stored update to every other peer; storage replays and migrations are not relayed. */
	#relayUpdate = (update: Uint8Array, origin: unknown) => {
		if (isTransactionOrigin(origin) && origin.source !== 'connection') return;
		const sender = peerOf(origin);
		const message = encodeUpdate(update);
		for (const peer of this.#peers) if (peer !== sender) peer.send(message);
	};

	#relayAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
		const changed = [...added, ...updated, ...removed];
		const message = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
		// Echoed to the sender too, as the reference server does: the stock provider counts it as
		// traffic and would otherwise reconnect every 30 s when it is alone in the meeting.
		for (const peer of this.#peers) peer.send(message);
	};
}
