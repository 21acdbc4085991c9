/**
 * The reference: `@y/websocket-server` 0.1.1's own connection handler (`setupWSConnection`), in memory
 * (no YPERSISTENCE), as its bin sets it up, but on HOST (default 127.0.0.1) and PORT (0 picks a free port).
 * ws is the project's ws 8, the same as Verkosto's, so both servers share one websocket implementation
 * (the package's bin would load its own nested ws 6.2.7). The document name is the URL path without its
 * leading slash, so `ws://127.0.0.1:<port>/yjs/<room>` serves the document `yjs/<room>`.
 * Prints `LISTENING <port>` like tests/helpers/child-server.ts.
 */
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';

const host = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT ?? '0');

const wss = new WebSocketServer({ noServer: true });
wss.on('connection', setupWSConnection);

const server = http.createServer((_request, response) => {
	response.writeHead(200, { 'content-type': 'text/plain' });
	response.end('okay');
});
server.on('upgrade', (request, socket, head) => {
	wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
});
server.listen(port, host, () => {
	const address = server.address();
	process.stdout.write(`LISTENING ${address && typeof address === 'object' ? address.port : port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
