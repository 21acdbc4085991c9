import * as Y from 'yjs';
import { CloseCode } from '../../src/lib/protocol/close-codes.js';
import { DocumentTooLargeError } from './document-errors.js';
import type { DocumentLog } from './document-log.js';
import { ProtocolError, type Deletions } from './messages.js';
import { maxTypeDepth, typeDepthAfter, type Struct } from './nesting.js';
import { connectionOrigin } from './origins.js';
import { perspectivesWritten } from './written-for.js';
import type { Peer } from './peer.js';

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

/**
 * Who may write in whose perspective (the scribe, issue #21 item 2). `check` throws the refusal when
 * the peer may not write for everyone in `targets` (other participants' ids; `unknown`: the update
 * has items whose place could not be found); `written` is told, after the update is stored and
 * applied, whom the peer wrote for.
 */
export interface WrittenForPolicy {
	check(meetingId: string, writerId: string, targets: ReadonlySet<string>, unknown: boolean): void;
	written(meetingId: string, writerId: string, targets: ReadonlySet<string>): void;
	/** The goals (ids) an update created, after it is stored and applied: a scribe in "write for" mode. */
	goalsCreated?(meetingId: string, writerId: string, goalIds: readonly string[]): void;
}

/** What a write batch needs of its live document. */
export interface WriteBatchOptions {
	meetingId: string;
	doc: Y.Doc;
	log: DocumentLog;
	/** The document's queue (live-document.ts): the batch stores and applies as one of its tasks. */
	run<T>(task: () => T | Promise<T>): Promise<T>;
	/** True once the meeting is closed: a late update is then neither stored nor relayed. */
	isClosed(): boolean;
	/** Largest stored size (snapshot plus logged updates) a document may reach. */
	maxDocumentBytes?: number;
	hooks?: DocumentHooks;
	writtenFor?: WrittenForPolicy;
	/** Called after each batch that stored something (the document decides whether to compact). */
	afterStore(): void;
}

/** Updates taken into one storage batch at most (bounds the nesting check's work, see below). */
const maxUpdatesPerBatch = 64;

interface IncomingUpdate {
	peer: Peer;
	update: Uint8Array;
	structs: readonly Struct[];
	/** Its delete set, when the caller decoded it already (else decoded when needed). */
	deletions?: Deletions;
	/** Other participants whose perspective it writes in (set by the check, for the record after it). */
	writesFor?: ReadonlySet<string>;
	/** Goals it creates (new entries of the top-level `goals` map), for the scribe's record after it. */
	goalsCreated?: string[];
	/** `performance.now()` when the document received it. */
	receivedAt: number;
	resolve: () => void;
	reject: (error: unknown) => void;
}

/**
 * The write path of one live document: stores a peer's update, then applies it, then lets the
 * document relay it — in that order, so nothing is applied or relayed before its transaction commits
 * (docs/storage.md). Updates that arrive while the document is busy wait together and are stored as
 * one batch (one transaction, server/yjs/storage.ts), then applied and relayed in arrival order: a
 * burst from one client costs one commit, not one each.
 */
export class WriteBatch {
	/** Updates received and not yet taken into a batch; `#storeQueued` while a batch task is queued. */
	#incoming: IncomingUpdate[] = [];
	#storeQueued = false;
	readonly #options: WriteBatchOptions;

	constructor(options: WriteBatchOptions) {
		this.#options = options;
	}

	/**
	 * Resolves once the update is stored, applied and relayed; rejects (having applied and relayed
	 * nothing) if storing failed or the update was refused.
	 */
	receive(peer: Peer, update: Uint8Array, structs: readonly Struct[], deletions?: Deletions): Promise<void> {
		this.#options.hooks?.onUpdateReceived?.();
		const receivedAt = performance.now();
		return new Promise((resolve, reject) => {
			this.#incoming.push({ peer, update, structs, deletions, receivedAt, resolve, reject });
			if (!this.#storeQueued) this.#queueStore();
		});
	}

	/** Queues the task that stores the updates waiting; `#storeQueued` until it takes them. */
	#queueStore(): void {
		this.#storeQueued = true;
		this.#options.run(() => this.#storeIncoming()).catch((error: unknown) => {
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
		const { doc, log, meetingId, hooks } = this.#options;
		// A closed meeting's plan is an immutable version: a late update is neither stored nor relayed.
		if (this.#options.isClosed()) {
			for (const { resolve } of batch) resolve();
			return;
		}
		const accepted: IncomingUpdate[] = [];
		/** The structs of `accepted`, for the nesting check of the updates after them. */
		const before: (readonly Struct[])[] = [];
		let bytes = log.bytes;
		const max = this.#options.maxDocumentBytes;
		for (const incoming of batch) {
			try {
				if (max !== undefined && bytes + incoming.update.byteLength > max) {
					throw new DocumentTooLargeError(meetingId, bytes + incoming.update.byteLength);
				}
				if (typeDepthAfter(doc, incoming.structs, maxTypeDepth, before) > maxTypeDepth) {
					throw new ProtocolError(CloseCode.MalformedMessage, `shared types nested deeper than ${maxTypeDepth} levels`);
				}
				const writerId = incoming.peer.identity?.participantId;
				if (this.#options.writtenFor && writerId !== undefined) {
					const { targets, unknown } = perspectivesWritten(doc, incoming.structs, incoming.update, before, incoming.deletions);
					targets.delete(writerId);
					if (targets.size > 0 || unknown) this.#options.writtenFor.check(meetingId, writerId, targets, unknown);
					if (targets.size > 0) incoming.writesFor = targets;
					const goals = goalsCreated(incoming.structs);
					if (goals.length > 0) incoming.goalsCreated = goals;
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
		try {
			await log.append(accepted.map(({ update }) => update));
		} catch (error) {
			for (const { reject } of accepted) reject(error);
			return;
		}
		const seconds = (performance.now() - started) / 1000;
		for (const { peer, update, receivedAt, resolve, reject, writesFor, goalsCreated } of accepted) {
			hooks?.onStorageWrite?.(seconds);
			try {
				// Relayed inside, by the document's `update` event, to every peer but this one.
				Y.applyUpdate(doc, update, connectionOrigin(peer));
				if (writesFor && peer.identity) this.#options.writtenFor?.written(meetingId, peer.identity.participantId, writesFor);
				if (goalsCreated && peer.identity) this.#options.writtenFor?.goalsCreated?.(meetingId, peer.identity.participantId, goalsCreated);
				hooks?.onUpdateRelayed?.((performance.now() - receivedAt) / 1000);
				resolve();
			} catch (error) {
				reject(error);
			}
		}
		this.#options.afterStore();
	}
}

/**
 * The ids of goals an update creates: items placed directly in the top-level `goals` map (a decoded
 * item's parent is then the root's name) under a key, holding a new Y.Map (docs/document-model.md).
 * Edits inside an existing goal sit in its nested types and are not counted.
 */
export function goalsCreated(structs: readonly Struct[]): string[] {
	const ids: string[] = [];
	for (const struct of structs) {
		// Decoded, a root parent is its name (Yjs types it as a type or an id).
		if (!(struct instanceof Y.Item) || (struct.parent as unknown) !== 'goals' || typeof struct.parentSub !== 'string') continue;
		if (struct.content instanceof Y.ContentType) ids.push(struct.parentSub);
	}
	return ids;
}
