import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from './app.js';
import { configFrom } from './config.js';
import { createLogger } from './log.js';

/** The App is built in order and starts nothing until `start()`; `close()` stops what it started. */

const dirs: string[] = [];
const apps: App[] = [];

function newApp(): App {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'verkosto-app-'));
	dirs.push(dataDir);
	const app = new App(configFrom({}, { dataDir, logLevel: 'silent', checkpointIntervalMs: 50 }), createLogger('silent'));
	apps.push(app);
	return app;
}

afterEach(async () => {
	vi.restoreAllMocks();
	for (const app of apps.splice(0)) await app.close();
	for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** An account with one live connection, whose `close` is recorded. */
async function accountWithConnection(app: App) {
	const user = await app.users.create({ email: 'asa.sjostrom@example.fi', name: 'Åsa Sjöström', role: 'coordinator', password: 'Äijälän-salasana-1' });
	const closed: Array<{ code: number; reason: string }> = [];
	app.connections.add({ close: (code, reason) => closed.push({ code, reason }) }, { userId: user.id });
	// As the admin command line (another process) does it: straight in the database.
	const disable = () => app.db.prepare('UPDATE users SET disabled_at = ? WHERE id = ?').run(new Date().toISOString(), user.id);
	return { closed, disable };
}

describe('App: wired in order, started explicitly', () => {
	it('its constructor starts no timer; start() starts them, and only once', () => {
		const setInterval = vi.spyOn(globalThis, 'setInterval');
		const app = newApp();
		expect(setInterval).not.toHaveBeenCalled();
		app.start();
		const started = setInterval.mock.calls.length;
		expect(started).toBeGreaterThan(0);
		app.start();
		expect(setInterval.mock.calls.length).toBe(started);
	});

	it('start() starts the revocation sweep: an account disabled by another process loses its live connection', async () => {
		const app = newApp();
		const { closed, disable } = await accountWithConnection(app);
		disable();
		app.start();
		await vi.waitFor(() => expect(closed).toEqual([{ code: 4403, reason: 'account disabled' }]), { timeout: 5_000 });
	});

	it('close() stops what start() started: no timer of the App is left', async () => {
		const setInterval = vi.spyOn(globalThis, 'setInterval');
		const clearInterval = vi.spyOn(globalThis, 'clearInterval');
		const app = newApp();
		app.start();
		const timers = setInterval.mock.results.map((result) => result.value as NodeJS.Timeout);
		await app.close();
		for (const timer of timers) expect(clearInterval).toHaveBeenCalledWith(timer);
	});

});
