import * as Y from 'yjs';
import type { DocumentStore, StoredDocument } from './storage.js';
import { storageOrigin } from './origins.js';

/** Applies what is stored of a document (its snapshot, then its log) in one transaction from storage. */
export function applyStored(doc: Y.Doc, stored: StoredDocument): void {
	doc.transact(() => {
		if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
		for (const update of stored.updates) Y.applyUpdate(doc, update);
	}, storageOrigin);
}

/**
 * One document's stored log, as its live document keeps account of it: how many updates wait for
 * compaction, how many bytes are stored (the size limit counts them) and the last update's id (the
 * compaction keeps what comes after it). Every method is called from the document's queue, one at
 * a time, so the counts never race with the store.
 */
export class DocumentLog {
	#lastUpdateId = 0;
	#length = 0;
	/** Bytes stored for this document: its snapshot and its logged updates. */
	#bytes = 0;

	constructor(
		readonly meetingId: string,
		readonly store: DocumentStore
	) {}

	/** Updates in the stored log that are not yet compacted into the snapshot. */
	get length(): number {
		return this.#length;
	}

	get bytes(): number {
		return this.#bytes;
	}

	/** Loads what is stored into `doc` (origin `storage`) and takes account of it. */
	async loadInto(doc: Y.Doc): Promise<void> {
		const stored = await this.store.load(this.meetingId);
		applyStored(doc, stored);
		this.#lastUpdateId = stored.lastUpdateId;
		this.#length = stored.updates.length;
		this.#bytes = (stored.snapshot?.byteLength ?? 0) + stored.updates.reduce((sum, u) => sum + u.byteLength, 0);
	}

	/**
	 * Appends updates together, so in one transaction of the store: all of them are stored, or none
	 * (server/yjs/storage.ts). Counted once the store has answered.
	 */
	async append(updates: readonly Uint8Array[]): Promise<void> {
		const ids = await Promise.all(updates.map((update) => this.store.append(this.meetingId, update)));
		ids.forEach((id, i) => {
			this.#lastUpdateId = id;
			this.#length++;
			this.#bytes += updates[i]!.byteLength;
		});
	}

	/** Replaces the log with one snapshot of `doc`, which holds every update appended so far. */
	async compact(doc: Y.Doc): Promise<{ compacted: number; bytes: number }> {
		const through = this.#lastUpdateId;
		const snapshot = Y.encodeStateAsUpdate(doc);
		await this.store.compact(this.meetingId, snapshot, through);
		const compacted = this.#length;
		this.#bytes = snapshot.byteLength;
		this.#length = 0;
		return { compacted, bytes: snapshot.byteLength };
	}
}
