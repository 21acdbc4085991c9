import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../tests/helpers/server.js';
import { createLogger } from '../log.js';
import { Checkpointer } from './checkpointer.js';
import { openDatabase, type Db } from './database.js';

const log = createLogger('silent');
let dir: string;
let db: Db;
let checkpointer: Checkpointer | undefined;

function open(): string {
	dir = tempDataDir('verkosto-checkpoint-');
	const file = path.join(dir, 'verkosto.sqlite');
	db = openDatabase(file, { syncMode: 'normal' });
	db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB NOT NULL)');
	return file;
}

const insert = (rows: number) => {
	const statement = db.prepare('INSERT INTO t (data) VALUES (?)');
	db.transaction(() => {
		for (let i = 0; i < rows; i++) statement.run(Buffer.alloc(512, i));
	})();
};
const autocheckpoint = () => db.pragma('wal_autocheckpoint', { simple: true });

afterEach(async () => {
	await checkpointer?.stop();
	checkpointer = undefined;
	if (db.open) db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

describe('Checkpointer', () => {
	it('takes checkpoints off the app connection and moves every WAL frame into the database while writes go on', async () => {
		const file = open();
		checkpointer = new Checkpointer(db, { file, syncMode: 'normal', intervalMs: 20, log });
		expect(autocheckpoint()).toBe(0);
		for (let i = 0; i < 50; i++) insert(20);
		await expect.poll(() => checkpointer!.last?.log ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);
		// The database file alone, without its WAL, holds every row: the frames were checkpointed.
		const alone = path.join(dir, 'copy.sqlite');
		const rowsInFileAlone = () => {
			fs.copyFileSync(file, alone);
			const copy = new Database(alone, { readonly: true });
			try {
				return (copy.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;
			} finally {
				copy.close();
			}
		};
		await expect.poll(rowsInFileAlone, { timeout: 10_000 }).toBe(1000);
		expect(checkpointer.last).toMatchObject({ busy: 0 });
		expect(checkpointer.last!.checkpointed).toBe(checkpointer.last!.log);
	});

	it.each([
		{ maxPasses: 4, who: 'the thread settles the log itself' },
		{ maxPasses: 1, who: 'the app connection catches up after each pass' }
	])('keeps the WAL small while commits never stop ($who)', async ({ maxPasses }) => {
		const file = open();
		checkpointer = new Checkpointer(db, { file, syncMode: 'normal', intervalMs: 50, catchUpFrames: 50, maxPasses, log });
		const wal = () => fs.statSync(`${file}-wal`).size;
		let largest = 0;
		let commits = 0;
		// About a commit a millisecond for 1.5 s, so a commit lands during every pass of the thread. The
		// timer paces the writes like a busy meeting day; it waits for nothing.
		const until = performance.now() + 1500;
		while (performance.now() < until) {
			insert(2);
			commits++;
			largest = Math.max(largest, wal());
			await new Promise((resolve) => setTimeout(resolve, 1));
		}
		// Unbounded, the log would hold every page of every commit (more than 4 MiB here); kept small,
		// it holds what one interval adds on top of the catch-up bound of 50 frames.
		expect(commits).toBeGreaterThan(500);
		expect(largest).toBeLessThan(2 * 1024 * 1024);
		// One pass never settles the log: then, and only then, the app's connection catches up itself.
		if (maxPasses === 1) expect(checkpointer.catchUps).toBeGreaterThan(0);
	});

	it('settles the log on its own thread: the app connection does not checkpoint, and its next commit starts the log over', async () => {
		const file = open();
		db.pragma('wal_autocheckpoint = 0');
		for (let i = 0; i < 30; i++) insert(20);
		checkpointer = new Checkpointer(db, { file, syncMode: 'normal', intervalMs: 20, catchUpFrames: 50, log });
		// A pass copies the burst, the next finds nothing new: settled, with the burst's frames in the log.
		await expect.poll(() => checkpointer!.last?.settled === true && checkpointer!.last.log >= 50, { timeout: 10_000 }).toBe(true);
		expect(checkpointer.catchUps).toBe(0);
		insert(1);
		await expect.poll(() => checkpointer!.last!.log, { timeout: 10_000 }).toBeLessThan(10);
		expect(checkpointer.catchUps).toBe(0);
	});

	it('gives checkpoints back to the connection when stopped, so the app closes as SQLite expects', async () => {
		const file = open();
		checkpointer = new Checkpointer(db, { file, syncMode: 'full', intervalMs: 1000, log });
		expect(autocheckpoint()).toBe(0);
		await checkpointer.stop();
		expect(autocheckpoint()).toBe(1000);
		// A second stop is the same stop.
		await checkpointer.stop();
	});

	it('keeps a closing process alive until the thread has stopped and the database is closed', () => {
		const file = open();
		db.close();
		// Nothing else keeps this process running: an unreferenced thread's exit would never be awaited.
		const script = `
			import Database from 'better-sqlite3';
			import { Checkpointer } from ${JSON.stringify(fileURLToPath(new URL('./checkpointer.ts', import.meta.url)))};
			const db = new Database(${JSON.stringify(file)});
			const log = { error() {} };
			await new Checkpointer(db, { file: ${JSON.stringify(file)}, syncMode: 'normal', intervalMs: 1000, log }).stop();
			db.close();
			console.log('closed');
		`;
		const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
			cwd: fileURLToPath(new URL('../..', import.meta.url)),
			encoding: 'utf8',
			timeout: 30_000
		});
		expect(output.trim()).toBe('closed');
	});

	it('falls back to SQLite’s own checkpoints when the thread dies, and says so in the log', async () => {
		const file = open();
		const lines: string[] = [];
		const listening = createLogger('error');
		const capture = Object.assign(Object.create(listening), {
			error: (_context: unknown, message: string) => lines.push(message)
		}) as typeof log;
		checkpointer = new Checkpointer(db, { file, syncMode: 'normal', intervalMs: 1000, log: capture });
		await checkpointer.worker.terminate();
		await expect.poll(autocheckpoint).toBe(1000);
		expect(lines).toEqual([expect.stringMatching(/checkpoint thread stopped.*checkpoints by itself again/)]);
		// Writes go on as before.
		insert(10);
		expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 10 });
	});
});
