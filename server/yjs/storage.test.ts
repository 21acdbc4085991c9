import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
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
		// Interleaved, partly in one transaction and partly in the next.
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
		expect((await store.load('aaaaaaaaaaaaaaaaaaaaaa')).updates.length).toBe(1);
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
		expect((await store.load('bbbbbbbbbbbbbbbbbbbbbb')).updates.length).toBe(0);
	});

	describe('when it commits', () => {
		const a = 'aaaaaaaaaaaaaaaaaaaaaa';
		const unknown = 'zzzzzzzzzzzzzzzzzzzzzz';
		/** Resolves in the check phase of the next turn of the event loop. */
		const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
		/** True once the current turn of the event loop has reached its check phase. */
		function checkPhaseReached(): () => boolean {
			let reached = false;
			setImmediate(() => (reached = true));
			return () => reached;
		}
		function setUp(options?: ConstructorParameters<typeof SqliteDocumentStore>[1]) {
			const at = file();
			db = openDatabase(at, { syncMode: 'normal' });
			meetingRow(db, a);
			return { at, store: new SqliteDocumentStore(db, options) };
		}

		it('commits a lone append at once, before the turn of the event loop ends', async () => {
			const { at, store } = setUp();
			const reached = checkPhaseReached();
			await store.append(a, bytes(1));
			expect(reached()).toBe(false);
			// Committed, not merely inserted: another connection sees it.
			const reader = new Database(at, { readonly: true });
			try {
				expect(reader.prepare('SELECT count(*) AS n FROM yjs_updates').get()).toEqual({ n: 1 });
			} finally {
				reader.close();
			}
		});

		it('stores the appends made together in one transaction: all of them, or none', async () => {
			const { store } = setUp();
			// The second refers to no meeting (a foreign key), so the transaction fails as a whole.
			const results = await Promise.allSettled([store.append(a, bytes(1)), store.append(unknown, bytes(2))]);
			expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
			expect((await store.load(a)).updates.length).toBe(0);
			await store.append(a, bytes(3));
			expect((await store.load(a)).updates).toEqual([bytes(3)]);
		});

		it("groups a turn's later appends into one commit in its check phase once the turn has spent its budget", async () => {
			// Any commit at all spends this budget.
			const { store } = setUp({ commitBudgetMs: 1e-9 });
			const reached = checkPhaseReached();
			await store.append(a, bytes(1));
			expect(reached()).toBe(false);

			// Later in the same turn, in two separate runs of code: one transaction, in the check phase.
			const first = store.append(a, bytes(2));
			await Promise.resolve();
			const second = store.append(unknown, bytes(3));
			const results = await Promise.allSettled([first, second]);
			expect(reached()).toBe(true);
			expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
			expect((await store.load(a)).updates).toEqual([bytes(1)]);

			// A turn later the budget is whole again: a lone append commits at once.
			await nextTurn();
			const again = checkPhaseReached();
			await store.append(a, bytes(4));
			expect(again()).toBe(false);
			expect((await store.load(a)).updates).toEqual([bytes(1), bytes(4)]);
		});

		it('with a budget of 0 commits once per turn, as a group', async () => {
			const { store } = setUp({ commitBudgetMs: 0 });
			const reached = checkPhaseReached();
			const first = store.append(a, bytes(1));
			await Promise.resolve();
			const results = await Promise.allSettled([first, store.append(unknown, bytes(2))]);
			expect(reached()).toBe(true);
			expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
			expect((await store.load(a)).updates.length).toBe(0);
		});
	});
});
