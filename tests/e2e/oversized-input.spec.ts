/**
 * Oversized input over HTTP (issue 20, item 2): refused with a clear error before it is kept, on the
 * sign-in form and the JSON API, against the dev server and the production build. The sign-in
 * limiters' memory is asserted in tests/integration/oversized-input.test.ts.
 */
import { request as http, type APIRequestContext } from '@playwright/test';
import { admin, expect, fi, password, test } from './fixtures';

let coordinator: APIRequestContext;
let anonymous: APIRequestContext;
let meetingId: string;

test.beforeAll(async ({ dataDir }, testInfo) => {
	const baseURL = testInfo.project.use.baseURL!;
	// The Origin header a browser sends, and `accept: text/html` as a form post without JavaScript sends.
	anonymous = await http.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
	coordinator = await http.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
	const email = `aino.makela.${testInfo.project.name}.${Date.now()}@example.fi`;
	await admin(['user', 'add', '--email', email, '--name', 'Aino Mäkelä', '--role', 'coordinator'], dataDir, `${password}\n`);
	const signedIn = await coordinator.post('/login', { form: { email, password }, headers: { accept: 'text/html' }, maxRedirects: 0 });
	expect(signedIn.status()).toBe(303);
	meetingId = await admin(['meeting', 'create', '--title', 'Verkostotapaaminen: Åsa Sjöström', '--coordinator', email], dataDir);
});

test.afterAll(async () => {
	await anonymous?.dispose();
	await coordinator?.dispose();
});

test('a sign-in with a 450 KiB e-mail is answered 400 with "too long" on the field, not "wrong credentials"', async () => {
	const response = await anonymous.post('/login', {
		form: { email: `${'a'.repeat(450 * 1024)}@example.fi`, password },
		headers: { accept: 'text/html' },
		maxRedirects: 0
	});
	expect(response.status()).toBe(400);
	const page = await response.text();
	expect(page).toContain(fi.field_error_too_long);
	expect(page).not.toContain(fi.login_wrong_credentials);
	// The page does not echo the e-mail back whole.
	expect(page.length).toBeLessThan(200 * 1024);
});

test('a JSON body over 64 KiB is answered 413 with a message; an over-long field 400 naming it', async () => {
	const tooLarge = await coordinator.post('/api/meetings', { data: { title: 'Äijälä', place: 'ö'.repeat(70 * 1024) } });
	expect(tooLarge.status()).toBe(413);
	expect(await tooLarge.json()).toEqual({ error: { code: 'too_large', message: expect.stringContaining('64 KiB') } });

	const tooLong = await coordinator.post(`/api/meetings/${meetingId}/participants`, {
		data: { name: 'Sjöström'.repeat(40), role: 'kela', presence: 'remote', access: 'view' }
	});
	expect(tooLong.status()).toBe(400);
	const body = (await tooLong.json()) as { error: { code: string; issues: Array<{ path: string }> } };
	expect(body.error.code).toBe('invalid');
	expect(body.error.issues.map((issue) => issue.path)).toContain('name');
});
