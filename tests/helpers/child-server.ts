/**
 * The real server in a child process, for crash tests: the same App and HTTP server as production
 * (server/main.ts) minus SvelteKit's pages. Prints `LISTENING <port>` once it accepts connections.
 * Configured by the same environment variables as production (DATA_DIR, PORT, …).
 */
import { App } from '../../server/app.js';
import { configFrom } from '../../server/config.js';
import { createHttpServer, listen } from '../../server/http-server.js';

const config = configFrom(process.env);
const app = new App(config);
const server = createHttpServer(app);
const port = await listen(server, config.port, config.host);
process.stdout.write(`LISTENING ${port}\n`);

process.on('SIGTERM', () => {
	server.close();
	server.closeAllConnections();
	void app.close().then(() => process.exit(0));
});
