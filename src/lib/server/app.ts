import type { IncomingMessage } from 'node:http';
import type { App as VerkostoApp } from '../../../server/app.js';

/**
 * How SvelteKit reaches the process's one App: whoever made it hands it to each request's `platform`
 * (no module variable, no global: the root and SvelteKit's server code are bundled separately, and a
 * page must not build a second App). In development the dev plugin gives `platform.app`
 * (server/dev-plugin.ts); in production adapter-node gives `platform.req`, the Node request, on
 * which server/main.ts has put the App.
 */
export type AppRequest = IncomingMessage & { verkostoApp?: VerkostoApp };

export function appOf(platform: Readonly<App.Platform> | undefined): VerkostoApp {
	const app = platform?.app ?? platform?.req?.verkostoApp;
	if (!app) throw new Error('The Verkosto app is not running: start it with `npm start` or `npm run dev`.');
	return app;
}
