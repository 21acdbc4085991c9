import type { Db } from '../db/database.js';

/** What is stored of one document: a compacted snapshot (or none) and the updates appended after it. */
export interface StoredDocument {
	snapshot: Uint8Array | null;
	updates: Uint8Array[];
	/** Id of the newest logged update included in `updates` (0 when the log is empty). */
	lastUpdateId: number;
}

/**
 * The narrow interface between the live documents and durable storage (DESIGN.md: scale-out replaces
 * SQLite by PostgreSQL behind this interface). Promise-returning so an asynchronous store fits unchanged.
 *
 * The contract the live document relies on: when `append` resolves, the update is durable
 * (at least against a killed process) and `load` will return it.
 */
export interface DocumentStore {
	load(meetingId: string): Promise<StoredDocument>;
	/**
	 * Appends one update to the log; resolves with its id once it is stored. Ids increase within a
	 * meeting's log and start over once a compaction has emptied it: one live document writes a
	 * meeting's log at a time, in order, so `compact` never removes an update it has not seen.
	 */
	append(meetingId: string, update: Uint8Array): Promise<number>;
	/** Atomically replaces the snapshot and drops the logged updates with id ≤ `throughUpdateId`. */
	compact(meetingId: string, snapshot: Uint8Array, throughUpdateId: number): Promise<void>;
	/** How many updates are in the meeting's log (not yet compacted). */
	logLength(meetingId: string): Promise<number>;
}

interface PendingAppend {
	meetingId: string;
	update: Uint8Array;
	resolve: (id: number) => void;
	reject: (error: unknown) => void;
}

/**
 * better-sqlite3 is synchronous: each call is one statement (or one transaction) on the WAL database.
 *
 * Appends are committed together, once per turn of the event loop (group commit): the updates that
 * arrive in one turn, from any meeting, become one transaction in the turn's check phase
 * (`setImmediate`), and each `append` resolves when that transaction has committed. A commit costs
 * far more than a row (about 11 µs against 2 µs here), and a meeting's update waits at most for the
 * rest of the turn it arrived in. If the transaction fails (a full disk), every append in it is
 * refused and nothing of it is stored; the documents relay none of them.
 */
export class SqliteDocumentStore implements DocumentStore {
	#pending: PendingAppend[] = [];
	readonly #insertBatch;
	readonly #selectSnapshot;
	readonly #selectUpdates;
	readonly #insertUpdate;
	readonly #upsertSnapshot;
	readonly #deleteUpdates;
	readonly #countUpdates;
	readonly #compact;

	constructor(db: Db) {
		this.#selectSnapshot = db.prepare<[string], { data: Buffer }>(
			'SELECT data FROM yjs_snapshots WHERE meeting_id = ?'
		);
		this.#selectUpdates = db.prepare<[string], { id: number; data: Buffer }>(
			'SELECT id, data FROM yjs_updates WHERE meeting_id = ? ORDER BY id'
		);
		// Ids count per meeting (migration 7): the next one after the meeting's last, found in its
		// clustered key, so nothing else needs to remember it.
		this.#insertUpdate = db.prepare<{ meetingId: string; data: Uint8Array }, { id: number }>(
			`INSERT INTO yjs_updates (meeting_id, id, data)
			 VALUES (:meetingId, (SELECT coalesce(max(id), 0) + 1 FROM yjs_updates WHERE meeting_id = :meetingId), :data)
			 RETURNING id`
		);
		this.#upsertSnapshot = db.prepare<[string, Uint8Array, string]>(
			`INSERT INTO yjs_snapshots (meeting_id, data, updated_at) VALUES (?, ?, ?)
			 ON CONFLICT (meeting_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`
		);
		this.#deleteUpdates = db.prepare<[string, number]>('DELETE FROM yjs_updates WHERE meeting_id = ? AND id <= ?');
		this.#countUpdates = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM yjs_updates WHERE meeting_id = ?');
		this.#insertBatch = db.transaction((batch: PendingAppend[]) =>
			batch.map((append) => this.#insertUpdate.get({ meetingId: append.meetingId, data: append.update })!.id)
		);
		this.#compact = db.transaction((meetingId: string, snapshot: Uint8Array, throughUpdateId: number) => {
			this.#upsertSnapshot.run(meetingId, snapshot, new Date().toISOString());
			this.#deleteUpdates.run(meetingId, throughUpdateId);
		});
	}

	async load(meetingId: string): Promise<StoredDocument> {
		const snapshot = this.#selectSnapshot.get(meetingId)?.data ?? null;
		const rows = this.#selectUpdates.all(meetingId);
		return {
			snapshot: snapshot && new Uint8Array(snapshot),
			updates: rows.map((row) => new Uint8Array(row.data)),
			lastUpdateId: rows.at(-1)?.id ?? 0
		};
	}

	append(meetingId: string, update: Uint8Array): Promise<number> {
		return new Promise((resolve, reject) => {
			this.#pending.push({ meetingId, update, resolve, reject });
			if (this.#pending.length === 1) setImmediate(this.#commit);
		});
	}

	/** Commits the turn's appends in one transaction, then answers each of them. */
	readonly #commit = (): void => {
		const batch = this.#pending;
		this.#pending = [];
		let ids: number[];
		try {
			ids = this.#insertBatch(batch);
		} catch (error) {
			for (const append of batch) append.reject(error);
			return;
		}
		batch.forEach((append, i) => append.resolve(ids[i]!));
	};

	async compact(meetingId: string, snapshot: Uint8Array, throughUpdateId: number): Promise<void> {
		this.#compact(meetingId, snapshot, throughUpdateId);
	}

	async logLength(meetingId: string): Promise<number> {
		return this.#countUpdates.get(meetingId)?.n ?? 0;
	}
}
