import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../tests/helpers/server.js';
import { openDatabase, truncateLog, type Db } from './database.js';

/** Invented content, distinctive as bytes. */
const secret = Buffer.from('Sjöström-Äijälä-salaisuus-789', 'utf8');

let dir: string;
let db: Db;
const others: Database.Database[] = [];

afterEach(() => {
	for (const other of others.splice(0)) other.close();
	if (db.open) db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

function open(): string {
	dir = tempDataDir('verkosto-truncate-');
	const file = path.join(dir, 'verkosto.sqlite');
	db = openDatabase(file, { syncMode: 'normal' });
	// As under the checkpoint thread: the app's connection never checkpoints by itself.
	db.pragma('wal_autocheckpoint = 0');
	db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB NOT NULL)');
	return file;
}

const onDisk = (file: string) =>
	[file, `${file}-wal`, `${file}-shm`].filter((name) => fs.existsSync(name) && fs.readFileSync(name).includes(secret)).map((name) => path.basename(name));

describe('truncateLog: after a deletion, the deleted bytes leave the files', () => {
	it('copies the zeroed pages into the database file and cuts the log to nothing', async () => {
		const file = open();
		db.prepare('INSERT INTO t (data) VALUES (?)').run(secret);
		db.prepare('DELETE FROM t').run();
		// secure_delete zeroed the row, but only in the page image the deletion appended to the log.
		expect(onDisk(file)).toEqual(['verkosto.sqlite-wal']);
		expect(await truncateLog(db)).toBe(true);
		expect(fs.statSync(`${file}-wal`).size).toBe(0);
		expect(onDisk(file)).toEqual([]);
	});

	it('waits, without blocking, for a reader of an older snapshot, and gives up when told', async () => {
		const file = open();
		db.prepare('INSERT INTO t (data) VALUES (?)').run(secret);
		const reader = new Database(file);
		others.push(reader);
		// A read transaction that still sees the row: the log cannot be cut under it.
		reader.exec('BEGIN');
		reader.prepare('SELECT count(*) FROM t').get();
		db.prepare('DELETE FROM t').run();
		const started = Date.now();
		expect(await truncateLog(db, { attempts: 3, waitMs: 10 })).toBe(false);
		// busy_timeout (5 s on this connection) was not waited out, and is back afterwards.
		expect(Date.now() - started).toBeLessThan(2000);
		expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
		expect(onDisk(file)).not.toEqual([]);

		const truncated = truncateLog(db, { attempts: 100, waitMs: 10 });
		reader.exec('COMMIT');
		expect(await truncated).toBe(true);
		expect(onDisk(file)).toEqual([]);
	});

	it('has nothing to do for an in-memory database', async () => {
		dir = tempDataDir('verkosto-truncate-');
		db = openDatabase(':memory:', { syncMode: 'normal' });
		expect(await truncateLog(db)).toBe(true);
	});
});
