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
}

interface PendingAppend {
	meetingId: string;
	update: Uint8Array;
	resolve: (id: number) => void;
	reject: (error: unknown) => void;
}

export interface SqliteStoreOptions {
	/**
	 * Milliseconds of commits one turn of the event loop may spend committing appends at once; past
	 * it, the rest of the turn's appends wait for one commit in its check phase. 0 groups every turn
	 * into one commit, `Infinity` never groups.
	 */
	commitBudgetMs?: number;
}

/** What one turn may spend on commits made at once (see the class). */
const defaultCommitBudgetMs = 0.5;

/**
 * better-sqlite3 is synchronous: each call is one statement (or one transaction) on the WAL database.
 *
 * Appends made together (in one run of code, such as a document's batch) are one transaction, and
 * it commits as soon as that run is over (a microtask): an update waits for nothing but its own
 * commit. Committing at once costs more commits than committing once per turn of the event loop,
 * and a commit costs far more than a row (about 11 µs against 2 µs on two cores, more with `full`'s fsync),
 * so a turn that has already spent `commitBudgetMs` on commits stops committing at once: its later
 * appends, from any meeting, wait for one commit in the turn's check phase (`setImmediate`), as a
 * group. A lightly loaded server thus commits each update as it comes, and a loaded one still
 * commits a few times per turn, not once per update (docs/storage.md).
 *
 * Each `append` resolves when its transaction has committed. If the transaction fails (a full
 * disk), every append in it is refused and nothing of it is stored; the documents relay none of them.
 */
export class SqliteDocumentStore implements DocumentStore {
	#pending: PendingAppend[] = [];
	readonly #commitBudgetMs: number;
	/** Milliseconds spent on commits since the last check phase. */
	#spentThisTurn = 0;
	#turnEndScheduled = false;
	readonly #insertBatch;
	readonly #selectSnapshot;
	readonly #selectUpdates;
	readonly #insertUpdate;
	readonly #upsertSnapshot;
	readonly #deleteUpdates;
	readonly #compact;

	constructor(db: Db, options: SqliteStoreOptions = {}) {
		this.#commitBudgetMs = options.commitBudgetMs ?? defaultCommitBudgetMs;
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
			if (this.#pending.length > 1) return;
			if (this.#spentThisTurn < this.#commitBudgetMs) queueMicrotask(this.#commit);
			else setImmediate(this.#commit);
		});
	}

	/** Commits the appends waiting in one transaction, then answers each of them. */
	readonly #commit = (): void => {
		const batch = this.#pending;
		this.#pending = [];
		const started = performance.now();
		let ids: number[];
		try {
			ids = this.#insertBatch(batch);
		} catch (error) {
			for (const append of batch) append.reject(error);
			return;
		} finally {
			this.#spend(performance.now() - started);
		}
		batch.forEach((append, i) => append.resolve(ids[i]!));
	};

	#spend(ms: number): void {
		this.#spentThisTurn += ms;
		if (this.#turnEndScheduled) return;
		this.#turnEndScheduled = true;
		setImmediate(this.#endTurn);
	}

	/** In the check phase: the next turn starts with its whole budget. */
	readonly #endTurn = (): void => {
		this.#spentThisTurn = 0;
		this.#turnEndScheduled = false;
	};

	async compact(meetingId: string, snapshot: Uint8Array, throughUpdateId: number): Promise<void> {
		this.#compact(meetingId, snapshot, throughUpdateId);
	}
}
