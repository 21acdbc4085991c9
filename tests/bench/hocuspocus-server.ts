/**
 * The durable peer: `@hocuspocus/server` 4 with `@hocuspocus/extension-sqlite`, as its documentation sets
 * it up (`new Server({ extensions: [new SQLite({ database })] })`), on HOST (default 127.0.0.1) and PORT
 * (0 picks a free port), the database file in DATA_DIR.
 *
 * Everything else is Hocuspocus's default, on purpose: that is what is compared. In particular the store
 * is debounced (`debounce` 2000 ms after the last change, at most `maxDebounce` 10000 ms after the first),
 * each store writes the whole document (`Y.encodeStateAsUpdate`) over the previous row, and updates are
 * applied and relayed from memory before that; `unloadImmediately` (true) stores and unloads a document
 * as soon as its last connection leaves. The extension's better-sqlite3 keeps SQLite's defaults for the
 * file (rollback journal, synchronous FULL), and runs synchronously on the event loop.
 *
 * Beside the websocket, `GET /loaded` answers the number of documents in memory (through Hocuspocus's
 * `onRequest` hook), so the join benchmark can wait for an unload. Prints `LISTENING <port>` like
 * tests/helpers/child-server.ts.
 */
import path from 'node:path';
import { Server } from '@hocuspocus/server';
import { SQLite } from '@hocuspocus/extension-sqlite';

const host = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT ?? '0');
const dataDir = process.env.DATA_DIR;
if (!dataDir) throw new Error('DATA_DIR is required');

const server = new Server({
	port,
	address: host,
	quiet: true,
	extensions: [
		new SQLite({ database: path.join(dataDir, 'hocuspocus.sqlite') }),
		{
			async onRequest({ request, response, instance }) {
				if (request.url !== '/loaded') return;
				response.writeHead(200, { 'content-type': 'text/plain' });
				response.end(String(instance.getDocumentsCount()));
				// Rejecting with nothing stops the default response (the hook protocol of Hocuspocus).
				throw null;
			}
		}
	]
});

await server.listen();
process.stdout.write(`LISTENING ${server.address.port}\n`);
