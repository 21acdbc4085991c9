/**
 * Naming the responsible worker from a device whose clock is a day behind (issue #5's form): the
 * browser's own checks accept yesterday as "today", the server refuses it, and the coordinator reads
 * why in Finnish, next to the date field, instead of the server's English message.
 */
import { request as http } from '@playwright/test';
import { admin, expect, fiAll, helsinkiDay, password, test } from './fixtures';

test('a date the device takes for today but the server does not is refused in the reader’s language', async ({ browser, dataDir }, testInfo) => {
	const baseURL = testInfo.project.use.baseURL!;
	const run = `${testInfo.project.name}.${Date.now()}`;
	const email = `eija.${run}@example.fi`;
	await admin(['user', 'add', '--email', email, '--name', 'Eija Östman', '--role', 'coordinator'], dataDir, `${password}\n`);
	const api = await http.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
	expect((await api.post('/login', { form: { email, password }, headers: { accept: 'text/html' }, maxRedirects: 0 })).status()).toBe(303);
	const meetingId = await admin(['meeting', 'create', '--title', 'Verkostotapaaminen – Närpiö', '--coordinator', email], dataDir);
	const added = await api.post(`/api/meetings/${meetingId}/participants`, {
		data: { name: 'Jussi Häkkinen', role: 'social_worker', organisation: 'Närpiön sosiaalitoimi', presence: 'room', access: 'edit' }
	});
	expect(added.status()).toBe(201);

	const context = await browser.newContext();
	const cookie = (await api.storageState()).cookies.find((c) => c.name === 'verkosto_session')!;
	await context.addCookies([{ name: cookie.name, value: cookie.value, url: baseURL }]);
	const page = await context.newPage();
	// The device believes it is yesterday, noon in Helsinki; its timers keep running.
	const yesterday = helsinkiDay(-1);
	await page.clock.setFixedTime(new Date(`${yesterday}T09:00:00Z`));
	await page.goto(`/meetings/${meetingId}`);
	await expect(page.locator('[data-state="connected"]')).toHaveText(fiAll.sync_connected, { timeout: 30_000 });

	await page.getByRole('tab', { name: fiAll.sections_follow_up }).click();
	await page.getByRole('radio', { name: /Jussi Häkkinen/ }).check();
	await page.getByLabel(fiAll.responsible_contact_label).fill('040 123 4567');
	await page.getByLabel(fiAll.responsible_date_label).fill(yesterday);
	await page.getByRole('radio', { name: fiAll.follow_up_visit }).check();
	await page.getByRole('button', { name: fiAll.responsible_submit }).click();

	const date = page.getByLabel(fiAll.responsible_date_label);
	await expect(date).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByText(fiAll.responsible_error_date_refused)).toBeVisible();
	await expect(page.getByText(/The follow-up|in the past/)).toHaveCount(0);
	// Nothing was decided: the server refused the whole request.
	const closing = await api.get(`/api/meetings/${meetingId}/close`);
	expect(((await closing.json()) as { missing: string[] }).missing).toContain('responsible_worker');

	await context.close();
	await api.dispose();
});
