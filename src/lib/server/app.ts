import type { App } from '../../../server/app.js';

/**
 * SvelteKit's server code and the composition root are bundled separately (by Vite, and by esbuild
 * or Vite's config loader), so a module-level variable would exist twice. The root registers its one
 * App under a global symbol; hooks.server.ts reads it from there.
 */
const key = Symbol.for('verkosto.app');

type WithApp = typeof globalThis & { [key]?: App };

export function setApp(app: App | undefined): void {
	(globalThis as WithApp)[key] = app;
}

export function getApp(): App {
	const app = (globalThis as WithApp)[key];
	if (!app) throw new Error('The Verkosto app is not running: start it with `npm start` or `npm run dev`.');
	return app;
}
