import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type http from 'node:http';
import { App } from '../../server/app.js';
import { configFrom, type Config } from '../../server/config.js';
import { createHttpServer, listen } from '../../server/http-server.js';
import { createLogger } from '../../server/log.js';

export interface TestServer {
	app: App;
	server: http.Server;
	port: number;
	/** http://127.0.0.1:<port> */
	url: string;
	/** ws://127.0.0.1:<port>/yjs — the base URL a y-websocket provider takes. */
	yjsUrl: string;
	dataDir: string;
	close(): Promise<void>;
}

/** A fresh temporary data folder, removed by the caller (or left for inspection on failure). */
export function tempDataDir(prefix = 'verkosto-test-'): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Starts the real App (real SQLite file, real Yjs endpoint, real socket.io) on 127.0.0.1, port 0.
 * Pages are not served here: SvelteKit is exercised by the Playwright suites.
 */
export async function startServer(overrides: Partial<Config> = {}): Promise<TestServer> {
	const dataDir = overrides.dataDir ?? tempDataDir();
	const config = configFrom({}, { host: '127.0.0.1', port: 0, logLevel: 'silent', heartbeatMs: 60_000, ...overrides, dataDir });
	const app = new App(config, createLogger(process.env.TEST_LOG_LEVEL ?? config.logLevel));
	const server = createHttpServer(app);
	const port = await listen(server, 0, '127.0.0.1');
	let closed = false;
	return {
		app,
		server,
		port,
		url: `http://127.0.0.1:${port}`,
		yjsUrl: `ws://127.0.0.1:${port}/yjs`,
		dataDir,
		async close() {
			if (closed) return;
			closed = true;
			server.close();
			server.closeAllConnections();
			await app.close();
		}
	};
}
