/**
 * The client's own phone (issue #21, items 5, 6 and 9): a calm view that opens at the current phase
 * in large type with nothing destructive on it, a summary that starts with the plain plan, "Was I
 * heard?" answered on the phone alone, and a connection state that tells the truth within 3 s of the
 * network going away.
 */
import { readFileSync } from 'node:fs';
import type { BrowserContext } from '@playwright/test';
import { catalogs, editorText, editorUnder, expect, expectAccessible, locales, openRoom, syncStatus, test, type World } from './fixtures';

/** The phone view's own catalog (messages/phone/), beside the shared ones. */
const phoneCatalogs = Object.fromEntries(
	locales.map((locale) => [
		locale,
		JSON.parse(readFileSync(new URL(`../../messages/phone/${locale}.json`, import.meta.url), 'utf8')) as typeof import('../../messages/phone/fi.json')
	])
) as Record<(typeof locales)[number], typeof import('../../messages/phone/fi.json')>;
const fi = { ...catalogs.fi, ...phoneCatalogs.fi };
// The phone of the issue: 360 × 740, touch.
const phone360 = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

// Invented people and words (STYLE.md 9).
const coordinatorName = 'Aino Äijälä';
const clientName = 'Åsa Sjöström';
const offlineWords = 'Kirjoitin tämän ilman verkkoa Äänekoskella.';

async function meetingWithClient(world: World, title: string) {
	const coordinator = await world.account(coordinatorName);
	const meetingId = await world.meeting(title, coordinator);
	const desk = await world.signedIn(coordinator);
	const { inviteUrl, participantId } = await world.invite(desk, meetingId, { name: clientName, role: 'client' });
	const client = await world.guest(inviteUrl, clientName, ['kela'], phone360);
	return { meetingId, desk, client, clientId: participantId };
}

async function setPhase(desk: BrowserContext, meetingId: string, phase: string) {
	const response = await desk.request.put(`/api/meetings/${meetingId}/phase`, { data: { phase } });
	expect(response.status(), await response.text()).toBe(200);
}

test.describe.configure({ timeout: 240_000 });

test('a network cut shows in words within 3 s, and a change written offline is saved after it', async ({ world }) => {
	const { meetingId, desk, client } = await meetingWithClient(world, 'Yhteyskatkos – Östersundin tiimi');
	const page = await openRoom(client, meetingId);
	const status = syncStatus(page);
	const voice = editorUnder(page, fi.meeting_client_voice_heading);
	await expect(voice).toBeEditable();

	await test.step('the network goes: the phone says so within 3 s, in words', async () => {
		await client.setOffline(true);
		await expect(status).toHaveAttribute('data-state', 'offline', { timeout: 3000 });
		await expect(status).toContainText(fi.sync_offline, { timeout: 3000 });
		// Never "connected" beside it: one status, and no "all saved" line.
		await expect(page.getByText(fi.sync_connected, { exact: true })).toHaveCount(0);
		await expect(page.getByText(fi.sync_all_saved)).toHaveCount(0);
	});

	await test.step('a change written offline is kept on the device and counted as one change', async () => {
		await voice.click();
		await page.keyboard.type(offlineWords, { delay: 5 });
		await expect(status).toContainText(fi.phone_changes_kept_one);
		await expect(status).toHaveAttribute('data-changes', '1');
	});

	await test.step('back online, the server confirms it and the phone says saved', async () => {
		await client.setOffline(false);
		await expect(status).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
		await expect(page.locator('[data-pending]')).toHaveAttribute('data-pending', '0', { timeout: 15_000 });
		await expect(page.getByText(fi.sync_all_saved)).toBeVisible();
		// The server has it: another device opening the meeting now reads it from the server.
		const desktop = await openRoom(desk, meetingId);
		await expect.poll(() => editorText(editorUnder(desktop, fi.meeting_client_voice_heading)), { timeout: 15_000 }).toBe(offlineWords);
	});
});
