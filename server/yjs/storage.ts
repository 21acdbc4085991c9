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
	/** Appends one update to the log; resolves with its id once it is stored. */
	append(meetingId: string, update: Uint8Array): Promise<number>;
	/** Atomically replaces the snapshot and drops the logged updates with id ≤ `throughUpdateId`. */
	compact(meetingId: string, snapshot: Uint8Array, throughUpdateId: number): Promise<void>;
	/** How many updates are in the meeting's log (not yet compacted). */
	logLength(meetingId: string): Promise<number>;
}

/** better-sqlite3 is synchronous: each call is one statement (or one transaction) on the WAL database. */
export class SqliteDocumentStore implements DocumentStore {
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
		this.#insertUpdate = db.prepare<[string, Uint8Array]>('INSERT INTO yjs_updates (meeting_id, data) VALUES (?, ?)');
		this.#upsertSnapshot = db.prepare<[string, Uint8Array, string]>(
			`INSERT INTO yjs_snapshots (meeting_id, data, updated_at) VALUES (?, ?, ?)
			 ON CONFLICT (meeting_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`
		);
		this.#deleteUpdates = db.prepare<[string, number]>('DELETE FROM yjs_updates WHERE meeting_id = ? AND id <= ?');
		this.#countUpdates = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM yjs_updates WHERE meeting_id = ?');
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

	async append(meetingId: string, update: Uint8Array): Promise<number> {
		return Number(this.#insertUpdate.run(meetingId, update).lastInsertRowid);
	}

	async compact(meetingId: string, snapshot: Uint8Array, throughUpdateId: number): Promise<void> {
		this.#compact(meetingId, snapshot, throughUpdateId);
	}

	async logLength(meetingId: string): Promise<number> {
		return this.#countUpdates.get(meetingId)?.n ?? 0;
	}
}
