import type { Plugin } from 'vite';
import { getApp, setApp } from '../src/lib/server/app.js';
import { App } from './app.js';
import { configFrom } from './config.js';

/**
 * `npm run dev` serves the same endpoints as production: one App attached to Vite's HTTP server.
 * Upgrades that are not ours (Vite's HMR socket) are left untouched.
 */
export function verkostoDev(): Plugin {
	return {
		name: 'verkosto-dev',
		apply: 'serve',
		configureServer(server) {
			// No HTTP server in middleware mode or under Vitest: nothing to attach to.
			if (!server.httpServer) return;
			const app = new App(configFrom(process.env));
			setApp(app);
			server.middlewares.use((req, res, next) => app.handleRequest(req, res, next));
			app.attach(server.httpServer as import('node:http').Server, { refuseOtherUpgrades: false });
			server.httpServer.once('close', () => {
				// A restart (a config dependency changed) registers the new server's App before this one closes.
				if (getApp() === app) setApp(undefined);
				void app.close();
			});
		}
	};
}
