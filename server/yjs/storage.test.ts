import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../tests/helpers/server.js';
import { openDatabase, type Db } from '../db/database.js';
import { migrations } from '../db/migrations/index.js';
import { SqliteDocumentStore } from './storage.js';

let dir: string;
let db: Db | undefined;

afterEach(() => {
	db?.close();
	db = undefined;
	fs.rmSync(dir, { recursive: true, force: true });
});

function file(): string {
	dir = tempDataDir('verkosto-storage-');
	return path.join(dir, 'verkosto.sqlite');
}

const bytes = (...values: number[]) => new Uint8Array(values);
const meetingRow = (db: Db, id: string) =>
	db.prepare("INSERT INTO meetings (id, title, created_at) VALUES (?, ?, '2026-11-22T09:00:00.000Z')").run(id, `Tapaaminen ${id}`);

describe('SqliteDocumentStore', () => {
	it('appends, loads in order, and compacts one meeting without touching another', async () => {
		db = openDatabase(file(), { syncMode: 'normal' });
		meetingRow(db, 'aaaaaaaaaaaaaaaaaaaaaa');
		meetingRow(db, 'bbbbbbbbbbbbbbbbbbbbbb');
		const store = new SqliteDocumentStore(db);
		// Interleaved, partly in one turn (one transaction) and partly in the next.
		const first = await Promise.all([
			store.append('aaaaaaaaaaaaaaaaaaaaaa', bytes(1)),
			store.append('bbbbbbbbbbbbbbbbbbbbbb', bytes(2)),
			store.append('aaaaaaaaaaaaaaaaaaaaaa', bytes(3))
		]);
		const later = await store.append('aaaaaaaaaaaaaaaaaaaaaa', bytes(4));
		expect(first[2]).toBeGreaterThan(first[0]!);
		expect(later).toBeGreaterThan(first[2]!);

		const a = await store.load('aaaaaaaaaaaaaaaaaaaaaa');
		expect(a.updates).toEqual([bytes(1), bytes(3), bytes(4)]);
		expect(a.lastUpdateId).toBe(later);

		await store.compact('aaaaaaaaaaaaaaaaaaaaaa', bytes(9, 9), first[2]!);
		expect(await store.load('aaaaaaaaaaaaaaaaaaaaaa')).toEqual({ snapshot: bytes(9, 9), updates: [bytes(4)], lastUpdateId: later });
		expect((await store.load('bbbbbbbbbbbbbbbbbbbbbb')).updates).toEqual([bytes(2)]);

		// After a full compaction the next update still comes after the snapshot.
		await store.compact('aaaaaaaaaaaaaaaaaaaaaa', bytes(9, 9, 9), later);
		const next = await store.append('aaaaaaaaaaaaaaaaaaaaaa', bytes(5));
		expect(await store.load('aaaaaaaaaaaaaaaaaaaaaa')).toEqual({ snapshot: bytes(9, 9, 9), updates: [bytes(5)], lastUpdateId: next });
		expect(await store.logLength('aaaaaaaaaaaaaaaaaaaaaa')).toBe(1);
	});

	it('keeps every logged update, in order, through migration 7 (the log clustered by meeting)', async () => {
		const at = file();
		// A database as version 6 left it: one rowid table, the meetings' updates interleaved.
		const before = openDatabase(at, { syncMode: 'normal', migrations: migrations.filter((m) => m.version <= 6) });
		meetingRow(before, 'aaaaaaaaaaaaaaaaaaaaaa');
		meetingRow(before, 'bbbbbbbbbbbbbbbbbbbbbb');
		const insert = before.prepare('INSERT INTO yjs_updates (meeting_id, data) VALUES (?, ?)');
		for (let i = 1; i <= 6; i++) insert.run(i % 2 ? 'aaaaaaaaaaaaaaaaaaaaaa' : 'bbbbbbbbbbbbbbbbbbbbbb', Buffer.from([i]));
		before.close();

		db = openDatabase(at, { syncMode: 'normal' });
		const store = new SqliteDocumentStore(db);
		expect(await store.load('aaaaaaaaaaaaaaaaaaaaaa')).toEqual({ snapshot: null, updates: [bytes(1), bytes(3), bytes(5)], lastUpdateId: 5 });
		expect(await store.load('bbbbbbbbbbbbbbbbbbbbbb')).toEqual({ snapshot: null, updates: [bytes(2), bytes(4), bytes(6)], lastUpdateId: 6 });
		// New updates follow the migrated ones.
		expect(await store.append('aaaaaaaaaaaaaaaaaaaaaa', bytes(7))).toBe(6);
		expect((await store.load('aaaaaaaaaaaaaaaaaaaaaa')).updates).toEqual([bytes(1), bytes(3), bytes(5), bytes(7)]);
		// A meeting's deletion still takes its log along (the foreign key survived the migration).
		db.prepare('DELETE FROM meetings WHERE id = ?').run('bbbbbbbbbbbbbbbbbbbbbb');
		expect(await store.logLength('bbbbbbbbbbbbbbbbbbbbbb')).toBe(0);
	});
});
