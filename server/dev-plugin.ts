import type { Server as HttpServer } from 'node:http';
import type { Adapter } from '@sveltejs/kit';
import type { Plugin } from 'vite';
import { App } from './app.js';
import { configFrom } from './config.js';

/**
 * `npm run dev` serves the same endpoints as production: one App attached to Vite's HTTP server.
 * Upgrades that are not ours (Vite's HMR socket) are left untouched. SvelteKit's pages get the App as
 * `platform.app` (src/lib/server/app.ts): the adapter's `emulate()`, which SvelteKit's dev server asks
 * for the platform of each request, is given it here.
 */
export function verkostoDev(): Plugin {
	let app: App | undefined;
	return {
		name: 'verkosto-dev',
		apply: 'serve',
		configResolved(config) {
			// SvelteKit's setup plugin exposes the Svelte config its dev server reads (`api.options`);
			// its dev server calls `adapter.emulate()` when it starts, after this hook.
			const kit = config.plugins.find((plugin) => plugin.name === 'vite-plugin-sveltekit-setup')?.api?.options?.kit as
				| { adapter?: Adapter }
				| undefined;
			if (!kit?.adapter) return;
			kit.adapter = {
				...kit.adapter,
				emulate: async () => ({
					platform: () => {
						if (!app) throw new Error('The Verkosto app is not running: the dev server has not started it.');
						return { app };
					}
				})
			};
		},
		configureServer(server) {
			// No HTTP server in middleware mode or under Vitest: nothing to attach to.
			if (!server.httpServer) return;
			const own = new App(configFrom(process.env));
			app = own;
			server.middlewares.use((req, res, next) => own.handleRequest(req, res, next));
			own.attach(server.httpServer as HttpServer, { refuseOtherUpgrades: false });
			server.httpServer.once('close', () => {
				// A restart (a config dependency changed) makes a new plugin and App before this one closes.
				if (app === own) app = undefined;
				void own.close();
			});
		}
	};
}
