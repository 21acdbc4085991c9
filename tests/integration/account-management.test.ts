/**
 * Disabling and enabling accounts (issue #20 item 8): a coordinator cannot disable themselves or the
 * last active coordinator (else nobody could manage accounts again), and a disabled account can be
 * enabled again, from the accounts page's service and from the admin command line, audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../server/app.js';
import { account, type Account } from '../helpers/people.js';
import { tempDataDir } from '../helpers/server.js';
import { removeDir, withAppOn } from './support.js';
import { runAdmin } from '../helpers/admin.js';

const password = 'salasana-Åäö-12345';

const admin = runAdmin;

const userEvents = (app: App, action: string) =>
	app.db
		.prepare<[string], { detail: string }>('SELECT detail FROM audit_events WHERE action = ? ORDER BY id')
		.all(action)
		.map((row) => JSON.parse(row.detail) as { userId: string });

let dataDir: string;
beforeAll(() => {
	dataDir = tempDataDir('verkosto-accounts-');
});
afterAll(() => removeDir(dataDir));

describe('disabling and enabling accounts', () => {
	let aino: Account;
	let saga: Account;
	let bjorn: Account;

	it('a coordinator cannot disable their own account', async () => {
		await withAppOn(dataDir, async (app) => {
			aino = await account(app, 'coordinator', 'Aino Äijälä');
			saga = await account(app, 'coordinator', 'Saga Sjöström');
			bjorn = await account(app, 'professional', 'Björn Ålander');
			await expect(app.accounts.disable(aino.principal, aino.userId)).rejects.toMatchObject({
				code: 'unprocessable',
				detail: { reason: 'own_account' }
			});
			expect(app.users.get(aino.userId)?.disabled).toBe(false);
		});
	});

	it('nor the last active coordinator, even when two disable each other at once', async () => {
		await withAppOn(dataDir, async (app) => {
			// Both pages were loaded while both were active; Aino's click lands first.
			await app.accounts.disable(aino.principal, saga.userId);
			await expect(app.accounts.disable(saga.principal, aino.userId)).rejects.toMatchObject({
				code: 'unprocessable',
				detail: { reason: 'last_coordinator' }
			});
			expect(app.users.get(aino.userId)?.disabled).toBe(false);
			expect(app.users.get(saga.userId)?.disabled).toBe(true);
		});
	});

	it('the admin command line refuses the last active coordinator too, naming the code', async () => {
		const refused = await admin(['user', 'disable', '--email', aino.email], dataDir);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(/^admin: last_coordinator: .*another coordinator/m);
		await withAppOn(dataDir, (app) => expect(app.users.get(aino.userId)?.disabled).toBe(false));
	});

	it('a coordinator enables a disabled account again: it signs in, and the trail says who did it', async () => {
		await withAppOn(dataDir, async (app) => {
			await app.accounts.disable(aino.principal, bjorn.userId);
			await expect(app.accounts.signIn(bjorn.email, password, '192.0.2.30')).rejects.toMatchObject({ code: 'invalid' });
			// A professional cannot.
			const professional = await account(app, 'professional', 'Åsa Öhman');
			expect(() => app.accounts.enable(professional.principal, bjorn.userId)).toThrow(expect.objectContaining({ code: 'forbidden' }));
			app.accounts.enable(aino.principal, bjorn.userId);
			expect(app.users.get(bjorn.userId)?.disabled).toBe(false);
			// The sessions that ended stay ended; the password works again.
			expect(await app.principalOf(bjorn.cookie)).toEqual({ kind: 'anonymous' });
			const { user } = await app.accounts.signIn(bjorn.email, password, '192.0.2.30');
			expect(user.id).toBe(bjorn.userId);
			expect(userEvents(app, 'user_enabled')).toEqual([{ userId: bjorn.userId }]);
			const actor = app.db.prepare<[], { actor_user_id: string | null }>("SELECT * FROM audit_events WHERE action = 'user_enabled'").get();
			expect(JSON.stringify(actor)).toContain(aino.userId);
			// Enabling an active account changes and records nothing.
			app.accounts.enable(aino.principal, bjorn.userId);
			expect(userEvents(app, 'user_enabled')).toHaveLength(1);
		});
	});

	it('`admin user enable` enables an account; after that the other coordinator may be disabled', async () => {
		const enabled = await admin(['user', 'enable', '--email', saga.email], dataDir);
		expect(enabled.code, enabled.stderr).toBe(0);
		expect(enabled.stdout).toContain(`Enabled ${saga.email}`);
		const [again, unknown, usage] = await Promise.all([
			admin(['user', 'enable', '--email', saga.email], dataDir),
			admin(['user', 'enable', '--email', 'ei.ole@example.fi'], dataDir),
			admin(['user', 'enable'], dataDir)
		]);
		expect(again.stdout).toContain('nothing changed');
		expect(unknown.code).toBe(1);
		expect(unknown.stderr).toMatch(/no account with the email ei\.ole@example\.fi/);
		expect(usage.code).toBe(2);
		expect(usage.stderr).toMatch(/user enable needs --email/);
		await withAppOn(dataDir, (app) => {
			expect(app.users.get(saga.userId)?.disabled).toBe(false);
			expect(userEvents(app, 'user_enabled').map((d) => d.userId)).toEqual([bjorn.userId, saga.userId]);
		});
		const disabled = await admin(['user', 'disable', '--email', aino.email], dataDir);
		expect(disabled.code, disabled.stderr).toBe(0);
		await withAppOn(dataDir, (app) => expect(app.users.get(aino.userId)?.disabled).toBe(true));
	});
});
