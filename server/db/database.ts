import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrations as allMigrations, type Migration } from './migrations/index.js';

export type Db = Database.Database;

/**
 * True for SQLite's "database or disk is full" (a full disk, or a page limit reached): whoever
 * wrote refuses the write with its own answer (the Yjs close code 4507, socket.io's `storage_full`).
 */
export const isStorageFull = (error: unknown) =>
	error instanceof Error && 'code' in error && (error as { code: unknown }).code === 'SQLITE_FULL';

export interface OpenOptions {
	/** `normal` is durable against a killed process; `full` against power loss too (fsync per commit). */
	syncMode: 'normal' | 'full';
	migrations?: readonly Migration[];
}

/** Opens (creating if needed) the database, sets WAL and applies pending migrations. */
export function openDatabase(file: string, options: OpenOptions): Db {
	if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
	const db = new Database(file);
	db.pragma('journal_mode = WAL');
	db.pragma(`synchronous = ${options.syncMode === 'full' ? 'FULL' : 'NORMAL'}`);
	db.pragma('foreign_keys = ON');
	// Deleted content is overwritten, not just unlinked: retention and deletion are real (issue #6).
	db.pragma('secure_delete = ON');
	db.pragma('busy_timeout = 5000');
	migrate(db, options.migrations ?? allMigrations);
	return db;
}

export function migrate(db: Db, migrations: readonly Migration[]): void {
	db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
	const applied = new Set(
		db.prepare<[], { version: number }>('SELECT version FROM schema_migrations').all().map((row) => row.version)
	);
	const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
	for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
		if (applied.has(migration.version)) continue;
		db.transaction(() => {
			db.exec(migration.sql);
			record.run(migration.version, migration.name, new Date().toISOString());
		})();
	}
}

/** What `PRAGMA wal_checkpoint` answers: busy 1 when it could not finish, and the log's frames. */
interface CheckpointRow {
	busy: number;
	log: number;
	checkpointed: number;
}

/**
 * After content is deleted: copies the whole write-ahead log into the database file and cuts the
 * log to zero bytes (`wal_checkpoint(TRUNCATE)`). `secure_delete` zeroes the deleted rows and freed
 * pages, but in WAL mode only in the new page images the deletion appends to the log; the older
 * frames that still hold the content stay in the `-wal` file, and the database file keeps the old
 * pages, until a checkpoint copies the zeroed ones over them and the log is cut.
 *
 * It cannot finish while another connection checkpoints (the checkpoint thread's PASSIVE passes) or
 * still reads an older snapshot, so it asks without waiting (busy_timeout 0 for the call: a busy
 * handler here would stall the event loop) and tries again, every `waitMs`, for at most
 * `attempts` tries. True once the log is empty; false if it never was (the caller logs it).
 */
export async function truncateLog(db: Db, options: { attempts?: number; waitMs?: number } = {}): Promise<boolean> {
	const attempts = options.attempts ?? 100;
	const waitMs = options.waitMs ?? 20;
	for (let attempt = 0; attempt < attempts; attempt++) {
		if (db.memory) return true;
		if (!db.open) return false;
		// A transaction of this connection (a batch of Yjs updates) would make the checkpoint fail.
		if (!db.inTransaction) {
			const timeout = db.pragma('busy_timeout', { simple: true }) as number;
			db.pragma('busy_timeout = 0');
			let result: CheckpointRow | undefined;
			try {
				result = (db.pragma('wal_checkpoint(TRUNCATE)') as CheckpointRow[])[0];
			} finally {
				db.pragma(`busy_timeout = ${timeout}`);
			}
			if (result && result.busy === 0) return true;
		}
		await new Promise((resolve) => setTimeout(resolve, waitMs));
	}
	return false;
}
