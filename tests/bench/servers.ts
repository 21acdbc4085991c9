/**
 * The servers under test. Each starts in a child process of its own (with the probe preloaded) and
 * gives the load generator a websocket base URL, the wire protocol it speaks and one room name per
 * meeting. A further peer is one more entry in `benchServers`.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot, spawnNode, type ServerChild } from './children.js';
import { parsePrometheus, promValue } from './measure.js';
import { setUpVerkosto, type VerkostoSetup } from './verkosto-setup.js';
import type { WireProtocol } from './wire.js';

export interface StartOptions {
	meetings: number;
	clients: number;
	/** The Verkosto checkout to run: the project itself, or an exported commit (see checkout.ts). */
	verkostoRoot: string;
	/** Verkosto's SQLite synchronous mode (SQLITE_SYNC). */
	syncMode: 'normal' | 'full';
	startTimeoutMs: number;
}

export interface RunningServer {
	readonly pid: number;
	/** Base websocket URL; with y-websocket the room name is appended as `/<room>` (see wire.ts). */
	readonly yjsBase: string;
	readonly protocol: WireProtocol;
	/** One room (document) name per meeting. */
	readonly rooms: string[];
	/** Per meeting, per client: a Cookie header to send on the upgrade, if the server wants a session. */
	readonly cookies?: string[][];
	/** How clients are admitted (stated in the report). */
	readonly note?: string;
	/** The probe preloaded into the child (see probe.ts). */
	readonly probeUrl: string;
	/** The server's own Prometheus endpoint, if it has one. */
	readonly metricsUrl?: string;
	/** Documents the server holds in memory, where it can tell (to wait for an unload); undefined if never unloaded. */
	loadedDocuments?(): Promise<number>;
	stop(): Promise<void>;
}

export interface BenchServer {
	/** Short key used on the command line and in the results (`--servers verkosto,reference`). */
	readonly key: string;
	readonly label: string;
	/** What the server does with an update before peers see it (stated in the report). */
	readonly durability: string;
	/** One letter for the run order in the report (V R H). */
	readonly letter: string;
	start(options: StartOptions): Promise<RunningServer>;
}

async function started(child: ServerChild, timeoutMs: number) {
	try {
		const [port, probePort] = await Promise.all([
			child.waitForLine(/^LISTENING (\d+)$/, timeoutMs),
			child.waitForLine(/^PROBE (\d+)$/, timeoutMs)
		]);
		return { port: Number(port), probeUrl: `http://127.0.0.1:${probePort}/` };
	} catch (error) {
		await child.stop(1_000);
		throw error;
	}
}

export const verkosto: BenchServer = {
	key: 'verkosto',
	label: 'Verkosto',
	letter: 'V',
	durability: 'appends each update to SQLite (WAL) before relaying it; commits at once, and groups the rest of a turn into one transaction once the turn has spent 0.5 ms committing',
	async start(options) {
		const root = options.verkostoRoot;
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'verkosto-bench-'));
		let setup: VerkostoSetup;
		try {
			setup = await setUpVerkosto({ root, dataDir, meetings: options.meetings, clients: options.clients, syncMode: options.syncMode });
		} catch (error) {
			fs.rmSync(dataDir, { recursive: true, force: true });
			throw error;
		}
		const child = spawnNode('verkosto', ['tests/helpers/child-server.ts'], {
			DATA_DIR: dataDir,
			PORT: '0',
			HOST: '127.0.0.1',
			LOG_LEVEL: 'silent',
			SQLITE_SYNC: options.syncMode
		}, root);
		let port: number;
		let probeUrl: string;
		try {
			({ port, probeUrl } = await started(child, options.startTimeoutMs));
		} catch (error) {
			fs.rmSync(dataDir, { recursive: true, force: true });
			throw error;
		}
		return {
			pid: child.pid,
			yjsBase: `ws://127.0.0.1:${port}/yjs`,
			protocol: 'y-websocket',
			rooms: setup.rooms,
			cookies: setup.cookies,
			note: setup.accessControl
				? 'each client a guest participant joined by invitation, its session cookie sent on the upgrade'
				: 'no access control in this commit: connections without a session',
			probeUrl,
			metricsUrl: `http://127.0.0.1:${port}/metrics`,
			async loadedDocuments() {
				const response = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(10_000) });
				const value = promValue(parsePrometheus(await response.text()), 'verkosto_loaded_documents');
				if (value === undefined) throw new Error('no verkosto_loaded_documents in /metrics');
				return value;
			},
			async stop() {
				await child.stop();
				fs.rmSync(dataDir, { recursive: true, force: true });
			}
		};
	}
};

export const reference: BenchServer = {
	key: 'reference',
	label: '@y/websocket-server 0.1.1',
	letter: 'R',
	durability: 'in memory only (no persistence configured); a document stays in memory after its last client leaves',
	async start(options) {
		const child = spawnNode('reference', ['tests/bench/reference-server.ts'], { PORT: '0', HOST: '127.0.0.1' }, projectRoot);
		const { port, probeUrl } = await started(child, options.startTimeoutMs);
		// Same id shape as Verkosto's meetings, so both see the same URLs and document names' lengths.
		const rooms = Array.from({ length: options.meetings }, () => randomBytes(16).toString('base64url'));
		return {
			pid: child.pid,
			yjsBase: `ws://127.0.0.1:${port}/yjs`,
			protocol: 'y-websocket',
			rooms,
			probeUrl,
			stop: () => child.stop()
		};
	}
};

export const hocuspocus: BenchServer = {
	key: 'hocuspocus',
	label: '@hocuspocus/server 4.7.0 + SQLite',
	letter: 'H',
	durability:
		'relays from memory; its SQLite extension stores the whole document 2 s after the last change, at most 10 s ' +
		'after the first (its default debounce and maxDebounce, kept), and at once when the last client leaves',
	async start(options) {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hocuspocus-bench-'));
		const child = spawnNode('hocuspocus', ['tests/bench/hocuspocus-server.ts'], { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir }, projectRoot);
		let port: number;
		let probeUrl: string;
		try {
			({ port, probeUrl } = await started(child, options.startTimeoutMs));
		} catch (error) {
			fs.rmSync(dataDir, { recursive: true, force: true });
			throw error;
		}
		const rooms = Array.from({ length: options.meetings }, () => randomBytes(16).toString('base64url'));
		return {
			pid: child.pid,
			yjsBase: `ws://127.0.0.1:${port}`,
			protocol: 'hocuspocus',
			rooms,
			probeUrl,
			async loadedDocuments() {
				const response = await fetch(`http://127.0.0.1:${port}/loaded`, { signal: AbortSignal.timeout(10_000) });
				return Number(await response.text());
			},
			async stop() {
				// SIGTERM: Hocuspocus stores every loaded document before it exits (stopOnSignals).
				await child.stop();
				fs.rmSync(dataDir, { recursive: true, force: true });
			}
		};
	}
};

export const benchServers: readonly BenchServer[] = [verkosto, reference, hocuspocus];
