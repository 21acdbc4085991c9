import * as Y from 'yjs';
import { DocumentUnavailableError } from './document-errors.js';
import { applyStored } from './document-log.js';
import { LiveDocument, type LiveDocumentOptions } from './live-document.js';

export interface RegistryOptions extends Omit<LiveDocumentOptions, 'previous' | 'onGone'> {}

/**
 * The process's one map from meeting id to live document (live-document.ts): the registry of open
 * documents. Never two instances of one meeting's document at once, except one unloading while its
 * successor waits for it.
 */
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
			applyStored(doc, stored);
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
