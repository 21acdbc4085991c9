/**
 * The servers under test. Each starts in a child process of its own (with the probe preloaded) and
 * gives the load generator a websocket base URL and one room name per meeting. A further peer
 * (e.g. Hocuspocus with its SQLite extension, issue 8) is one more entry in `benchServers`.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot, spawnNode, type ServerChild } from './children.js';
import { setUpVerkosto, type VerkostoSetup } from './verkosto-setup.js';

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
	/** Base URL for the y-websocket provider; the room name is appended as `/<room>`. */
	readonly yjsBase: string;
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
	stop(): Promise<void>;
}

export interface BenchServer {
	/** Short key used on the command line and in the results (`--servers verkosto,reference`). */
	readonly key: string;
	readonly label: string;
	/** What the server does with an update before peers see it (stated in the report). */
	readonly durability: string;
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
	durability: 'appends each update to SQLite (WAL) before applying and relaying it',
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
			rooms: setup.rooms,
			cookies: setup.cookies,
			note: setup.accessControl
				? 'each client a guest participant joined by invitation, its session cookie sent on the upgrade'
				: 'no access control in this commit: connections without a session',
			probeUrl,
			metricsUrl: `http://127.0.0.1:${port}/metrics`,
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
	durability: 'in memory only (no persistence configured)',
	async start(options) {
		const child = spawnNode('reference', ['tests/bench/reference-server.ts'], { PORT: '0', HOST: '127.0.0.1' }, projectRoot);
		const { port, probeUrl } = await started(child, options.startTimeoutMs);
		// Same id shape as Verkosto's meetings, so both see the same URLs and document names' lengths.
		const rooms = Array.from({ length: options.meetings }, () => randomBytes(16).toString('base64url'));
		return {
			pid: child.pid,
			yjsBase: `ws://127.0.0.1:${port}/yjs`,
			rooms,
			probeUrl,
			stop: () => child.stop()
		};
	}
};

export const benchServers: readonly BenchServer[] = [verkosto, reference];
