import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log.js';
import type { Db } from './database.js';

/** What the last checkpoint did: WAL frames in the log, and how many of them are in the database. */
export interface CheckpointResult {
	busy: number;
	log: number;
	checkpointed: number;
	/**
	 * True when the last pass found the log as long as the pass before it did, and all of it in the
	 * database: nothing was committed in between, so the app's next commit starts the log over.
	 */
	settled: boolean;
}

export interface CheckpointerOptions {
	/** The database file the app's connection has open (WAL mode). */
	file: string;
	syncMode: 'normal' | 'full';
	intervalMs: number;
	/** WAL frames (pages) after which the app's connection finishes a pass itself; SQLite's default bound. */
	catchUpFrames?: number;
	/** Passes the thread makes at most per interval while commits keep landing (see the class). */
	maxPasses?: number;
	log: Logger;
}

// CommonJS, evaluated in the worker: it runs from source in dev and tests and from the bundle in
// production alike, with no file of its own to build. The driver's path comes from this module.
const workerSource = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = ' + workerData.synchronous);
// As on the app's connection (database.ts): whatever this connection ever frees is zeroed too.
db.pragma('secure_delete = ON');
const pass = () => db.pragma('wal_checkpoint(PASSIVE)')[0];
const checkpoint = () => {
	let result = pass();
	let settled = false;
	for (let n = 1; n < workerData.maxPasses && result.busy === 0 && !settled; n++) {
		const next = pass();
		// A busy pass reports -1 for both counts: keep what the pass before it found.
		if (next.busy !== 0) break;
		settled = next.log === result.log && next.checkpointed === next.log;
		result = next;
	}
	parentPort.postMessage({ busy: result.busy, log: result.log, checkpointed: result.checkpointed, settled });
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
	clearInterval(timer);
	db.close();
	parentPort.close();
});
`;

/**
 * Moves SQLite's WAL checkpoints off the event loop. By default the connection that commits a
 * transaction which takes the WAL past 1,000 pages copies them into the database file and syncs
 * it, there and then: on the thread that also relays every edit, a stall of several milliseconds
 * about twice a second at 100 meetings × 8 clients (docs/performance.md). Here the app's connection
 * never checkpoints (`wal_autocheckpoint = 0`) and a worker thread with its own connection runs a
 * PASSIVE checkpoint every `intervalMs`, which waits for no reader or writer. Durability does not
 * change: a commit is in the WAL either way, and the WAL is what recovery replays.
 *
 * Keeping the WAL small. SQLite starts the log over only when a write begins after every frame is
 * in the database, and under steady load a commit lands during each pass (a pass copies the frames
 * that were there when it began), so the log would grow for as long as the meeting day lasts
 * (85 MiB in 15 s of the benchmark's write pattern). So the thread passes again, up to `maxPasses`
 * times, until a pass finds nothing committed since the one before ("settled"): each later pass
 * copies only the few frames of the previous one's duration, and once settled the app's next commit
 * starts the log over. Only when the thread cannot settle (commits land during every pass) and the
 * log has reached `catchUpFrames`, the app's connection runs one PASSIVE checkpoint of its own, which
 * copies what the last pass missed, and the next commit starts the log over. The WAL stays near
 * `catchUpFrames` pages (6 MiB in the same test).
 *
 * Each catch-up is 1.8 ms (up to 3 ms) on the event loop, mostly the database file's sync. Without the
 * thread settling the log it would follow every pass that reports `catchUpFrames`, at 100 meetings ×
 * 8 clients once a second (39 times in 44 s); with it, 6 times (docs/storage.md).
 *
 * If the worker fails, the app's connection checkpoints by itself again, as SQLite does by default.
 */
export class Checkpointer {
	#worker: Worker;
	#stopped: Promise<void> | undefined;
	#last: CheckpointResult | null = null;
	#catchUps = 0;
	readonly #db: Db;

	constructor(db: Db, options: CheckpointerOptions) {
		this.#db = db;
		db.pragma('wal_autocheckpoint = 0');
		this.#worker = new Worker(workerSource, {
			eval: true,
			// Not the process's --import hooks (tsx, a benchmark's probe): the worker needs none.
			execArgv: [],
			workerData: {
				driver: createRequire(import.meta.url).resolve('better-sqlite3'),
				file: options.file,
				synchronous: options.syncMode === 'full' ? 'FULL' : 'NORMAL',
				intervalMs: options.intervalMs,
				maxPasses: options.maxPasses ?? 4
			}
		});
		// Never what keeps the process alive; close() still stops it in order.
		this.#worker.unref();
		const catchUpFrames = options.catchUpFrames ?? 1000;
		// When the log is reset it is also cut back to this size; a burst must not leave a huge file.
		db.pragma(`journal_size_limit = ${catchUpFrames * 4 * 4096}`);
		this.#worker.on('message', (result: CheckpointResult) => {
			this.#last = result;
			if (result.settled || result.log < catchUpFrames || this.#stopped || !db.open) return;
			this.#catchUps++;
			try {
				db.pragma('wal_checkpoint(PASSIVE)');
			} catch (error) {
				options.log.error({ err: error }, 'a checkpoint failed; the next pass tries again');
			}
		});
		let fellBack = false;
		const fallBack = (reason: string, error?: unknown) => {
			if (fellBack || this.#stopped || !db.open) return;
			fellBack = true;
			options.log.error({ err: error }, `the checkpoint thread ${reason}; the database connection checkpoints by itself again`);
			db.pragma('wal_autocheckpoint = 1000');
		};
		this.#worker.on('error', (error) => fallBack('failed', error));
		this.#worker.on('exit', (code) => fallBack(`stopped (exit code ${code})`));
	}

	/** The last checkpoint's result; null before the first one. */
	get last(): CheckpointResult | null {
		return this.#last;
	}

	/** Checkpoints the app's connection ran itself because the thread could not settle the log. */
	get catchUps(): number {
		return this.#catchUps;
	}

	/** The worker thread (for tests that end it the hard way). */
	get worker(): Worker {
		return this.#worker;
	}

	/** Stops the thread and closes its connection; the app's connection checkpoints when it closes. */
	stop(): Promise<void> {
		this.#stopped ??= new Promise<void>((resolve) => {
			if (this.#worker.threadId === -1) return resolve();
			this.#worker.once('exit', () => resolve());
			// Held from here on: with nothing else left to run (a closing process), an unreferenced
			// worker would let the process end before this resolves and the database closes.
			this.#worker.ref();
			this.#worker.postMessage('stop');
		}).then(() => {
			if (this.#db.open) this.#db.pragma('wal_autocheckpoint = 1000');
		});
		return this.#stopped;
	}
}
