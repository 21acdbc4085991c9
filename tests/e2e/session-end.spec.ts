/**
 * Issue 20, items 3 and 5, in a real browser against the dev server and the build: signing out in
 * another tab ends the meeting page's live connections, which stops reconnecting and tells the person
 * to sign in again in their language; and the origin check fronts SvelteKit in both servers (a
 * cross-origin POST with no body and no content type never reaches `…/close`). The channel-by-channel
 * cases are tests/integration/origins.test.ts and session-ends.test.ts.
 */
import { request as http } from '@playwright/test';
import { catalogs, editorUnder, expect, fiAll as fi, test } from './fixtures';

test('signing out in another tab ends the meeting page’s live connection; it says so and asks to sign in again', async ({ world }, testInfo) => {
	const baseURL = testInfo.project.use.baseURL!;
	const coordinator = await world.account('Åsa Sjöström');
	const meetingId = await world.meeting('Verkostotapaaminen: Eero Äijälä', coordinator);
	const context = await world.signedIn(coordinator);
	const page = await context.newPage();
	await page.goto(`/meetings/${meetingId}`);
	const status = page.locator('[role="status"][data-state]');
	await expect(status).toHaveText(fi.sync_connected, { timeout: 30_000 });
	// Another device of the same person, in Swedish, stays on its own session.
	const other = await world.signedIn(coordinator);
	await other.addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'sv', url: baseURL }]);
	const otherPage = await other.newPage();
	await otherPage.goto(`/meetings/${meetingId}`);
	await expect(otherPage.locator('[role="status"][data-state]')).toHaveText(catalogs.sv.sync_connected, { timeout: 30_000 });

	// The person signs out in another tab of the same browser, with the header's button.
	const tab = await context.newPage();
	await tab.goto('/');
	await tab.getByRole('button', { name: fi.header_sign_out }).click();
	await expect(tab.getByRole('button', { name: fi.header_sign_out })).toHaveCount(0);

	await expect(status).toHaveAttribute('data-state', 'refused');
	await expect(status).toHaveText(fi.sync_refused_session_ended);
	// The editors turn read-only: nothing typed now could be stored.
	await expect(editorUnder(page, fi.meeting_client_voice_heading)).not.toBeEditable();
	await expect(otherPage.locator('[role="status"][data-state]')).toHaveAttribute('data-state', 'connected');
});

test('a cross-origin POST with no body and no content type is refused before it reaches the app', async ({ world }, testInfo) => {
	const baseURL = testInfo.project.use.baseURL!;
	const coordinator = await world.account('Björn Ålander');
	const meetingId = await world.meeting('Nätverksmöte: Örjan Sjöberg', coordinator);
	const context = await world.signedIn(coordinator);
	const cookies = await context.storageState();
	const outsider = await http.newContext({ baseURL, storageState: cookies });
	try {
		const refused = await outsider.post(`/api/meetings/${meetingId}/close`, { headers: { origin: 'https://muu.example.fi' } });
		expect(refused.status()).toBe(403);
		expect(await refused.json()).toMatchObject({ error: { code: 'forbidden_origin' } });
		// The same request from the app's own origin reaches the route (which answers why it cannot close yet).
		const own = await outsider.post(`/api/meetings/${meetingId}/close`, { headers: { origin: baseURL } });
		expect(own.status(), await own.text()).not.toBe(403);
	} finally {
		await outsider.dispose();
	}
});
