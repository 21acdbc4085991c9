/**
 * The production entry: `npm start` runs its bundle, build/server.js, beside SvelteKit's build/handler.js.
 */
import type { AppRequest } from '../src/lib/server/app.js';
import { App } from './app.js';
import { configFrom } from './config.js';
import { createHttpServer, listen, type RequestHandler } from './http-server.js';

const config = configFrom(process.env);
const app = new App(config);

// adapter-node assumes https unless told otherwise, and then refuses every form post made over plain
// http (its origin check). Without ORIGIN or PROTOCOL_HEADER, this server says what it knows: its
// own socket is plain http. It overwrites the header on every request, so no client can spoof it.
// Behind an https proxy, set ORIGIN (README).
const ownProtocolHeader = 'x-verkosto-protocol';
const tellProtocol = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
if (tellProtocol) process.env.PROTOCOL_HEADER = ownProtocolHeader;

// Imported through a variable so neither esbuild nor svelte-check pulls the SvelteKit build in.
const handlerPath = './handler.js';
const { handler: pages } = (await import(/* @vite-ignore */ handlerPath)) as { handler: RequestHandler };
// adapter-node hands SvelteKit the Node request as `platform.req`: that is how the pages reach this
// App (src/lib/server/app.ts), with no global between the two bundles.
const handler: RequestHandler = (req, res, next) => {
	(req as AppRequest).verkostoApp = app;
	if (tellProtocol) req.headers[ownProtocolHeader] = 'http';
	pages(req, res, next);
};

const server = createHttpServer(app, handler);
const port = await listen(server, config.port, config.host);
app.log.info({ host: config.host, port, dataDir: config.dataDir }, 'Verkosto is listening');
// Retention runs daily inside the server; also once at start, so a server that is restarted more
// often than daily still purges.
app.purgeExpired().catch((error: unknown) => app.log.error({ err: error }, 'retention purge failed'));

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
	process.on(signal, () => {
		if (stopping) return;
		stopping = true;
		app.log.info({ signal }, 'stopping');
		server.close();
		server.closeIdleConnections();
		app.close().then(
			() => process.exit(0),
			(error: unknown) => {
				app.log.error({ err: error }, 'shutdown failed');
				process.exit(1);
			}
		);
	});
}
