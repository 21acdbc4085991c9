/**
 * Input is bounded at every boundary before it is kept anywhere (issue 20, item 2). Sign-in input
 * grew memory without bound: the per-account limiter kept the raw e-mail as a map key even when it
 * refused the attempt, so 100 sign-ins with a 450 KiB e-mail kept about 47 MiB. Against the real
 * App (real SQLite file) through the service the login form calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../server/errors.js';
import { emailMaxLength } from '../../server/users.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { removeDir } from './support.js';

let srv: TestServer;

beforeAll(async () => {
	srv = await startServer();
});

afterAll(async () => {
	await srv.close();
	removeDir(srv.dataDir);
});

async function refusalOf(work: Promise<unknown>): Promise<DomainError> {
	try {
		await work;
	} catch (error) {
		if (error instanceof DomainError) return error;
		throw error;
	}
	throw new Error('the input was accepted');
}

describe('sign-in input', () => {
	it('100 sign-ins with a 450 KiB e-mail are refused (400, a message naming the limit) and the limiters keep nothing of them', async () => {
		const before = srv.app.accounts.limiterStats;
		for (let i = 0; i < 100; i++) {
			const email = `${'äijälä'.repeat(75 * 1024)}${i}@example.fi`;
			const refusal = await refusalOf(srv.app.accounts.signIn(email, 'Salasana-Åäö-1', `10.1.0.${i % 4}`));
			expect(refusal.status).toBe(400);
			expect(refusal.message).toContain(String(emailMaxLength));
			expect(refusal.detail.issues).toEqual([{ path: 'email', message: 'too_long' }]);
		}
		expect(srv.app.accounts.limiterStats).toEqual(before);
	});

	it('an over-long password is refused the same way, before argon2 and the limiters', async () => {
		const before = srv.app.accounts.limiterStats;
		const refusal = await refusalOf(srv.app.accounts.signIn('aino.makela@example.fi', 'ö'.repeat(450 * 1024), '10.1.1.1'));
		expect(refusal.status).toBe(400);
		expect(refusal.detail.issues).toEqual([{ path: 'password', message: 'too_long' }]);
		expect(srv.app.accounts.limiterStats).toEqual(before);
	});

	it('sign-ins with e-mails of the longest valid length keep bounded keys: at most 64 characters each', async () => {
		const before = srv.app.accounts.limiterStats;
		for (let i = 0; i < 20; i++) {
			const email = `${String(i).padStart(3, '0')}${'ö'.repeat(emailMaxLength - 15)}@example.fi`.slice(0, emailMaxLength);
			const refusal = await refusalOf(srv.app.accounts.signIn(email, 'Salasana-Åäö-1', '10.1.2.1'));
			expect(refusal.code).toMatch(/^(invalid|rate_limited)$/);
		}
		const after = srv.app.accounts.limiterStats;
		expect(after.perAccount.keys - before.perAccount.keys).toBe(20);
		expect(after.perAccount.keyChars - before.perAccount.keyChars).toBeLessThanOrEqual(20 * 64);
	});
});
