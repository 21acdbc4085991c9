import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrations as allMigrations, type Migration } from './migrations/index.js';

export type Db = Database.Database;

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
