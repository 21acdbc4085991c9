import http from 'node:http';
import type { App } from './app.js';

export type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;

const notFound: RequestHandler = (_req, res) => {
	res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
};

/** One HTTP server for everything: the app's endpoints first, then `pages` (SvelteKit's handler). */
export function createHttpServer(app: App, pages: RequestHandler = notFound): http.Server {
	const server = http.createServer((req, res) => {
		app.handleRequest(req, res, () => pages(req, res, () => notFound(req, res, () => {})));
	});
	app.attach(server, { refuseOtherUpgrades: true });
	return server;
}

/** Listens and resolves with the bound port (port 0 picks a free one). */
export function listen(server: http.Server, port: number, host: string): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			const address = server.address();
			resolve(typeof address === 'object' && address ? address.port : port);
		});
	});
}
