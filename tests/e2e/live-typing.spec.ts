import { randomBytes } from 'node:crypto';
import type { Browser, Page } from '@playwright/test';
import { editorText, editorUnder, expect, fi, test } from './fixtures';

// Invented words only (STYLE.md 9): a client's own words in Finnish, a professional's in Swedish.
const clientWords = 'Haluaisin palata työhön syksyllä, ensin neljä tuntia päivässä. Äänekoski käy hyvin.';
const professionalWords = 'Vi kan börja med en arbetsprövning på två dagar i veckan, gärna nära hemmet i Åbo.';

/** A participant in their own browser context (own cookies, own websocket), on the meeting page. */
async function joinMeeting(browser: Browser, meetingId: string): Promise<Page> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto(`/meetings/${meetingId}`);
	await expect(page.getByRole('status')).toHaveAttribute('data-state', 'connected');
	await expect(page.getByRole('status')).toHaveText(fi.sync_connected);
	return page;
}

test('two participants see each other typing live', async ({ browser, createMeeting }) => {
	const meetingId = await test.step('an operator creates the meeting', () =>
		createMeeting('Työkokeilun suunnittelu – Östersundin tiimi')
	);
	const [client, professional] = await test.step('two participants open it', () =>
		Promise.all([joinMeeting(browser, meetingId), joinMeeting(browser, meetingId)])
	);

	const clientEditor = editorUnder(client, fi.meeting_client_voice_heading);
	const professionalEditor = editorUnder(professional, fi.meeting_client_voice_heading);
	await expect(clientEditor).toBeEditable();
	await expect(professionalEditor).toBeEditable();

	await test.step('the client types; the professional sees it while it is being typed', async () => {
		const half = clientWords.indexOf(',') + 1;
		await clientEditor.pressSequentially(clientWords.slice(0, half), { delay: 10 });
		await expect.poll(() => editorText(professionalEditor)).toBe(clientWords.slice(0, half));
		await clientEditor.pressSequentially(clientWords.slice(half), { delay: 10 });
		await expect.poll(() => editorText(professionalEditor)).toBe(clientWords);
	});

	const together = `${clientWords}\n${professionalWords}`;
	await test.step('the professional adds a line; the client sees it', async () => {
		await professionalEditor.click();
		await professional.keyboard.press('ControlOrMeta+End');
		await professional.keyboard.press('Enter');
		await professionalEditor.pressSequentially(professionalWords, { delay: 10 });
		await expect.poll(() => editorText(clientEditor)).toBe(together);
		await expect.poll(() => editorText(professionalEditor)).toBe(together);
		await expect(client.getByRole('status')).toHaveAttribute('data-state', 'connected');
		await expect(professional.getByRole('status')).toHaveAttribute('data-state', 'connected');
	});

	await test.step('someone who opens the meeting afterwards gets the same text from the server', async () => {
		const latecomer = await joinMeeting(browser, meetingId);
		await expect.poll(() => editorText(editorUnder(latecomer, fi.meeting_client_voice_heading))).toBe(together);
		await latecomer.context().close();
	});

	for (const page of [client, professional]) await page.context().close();
});

test('an unknown meeting id shows the not-found page', async ({ page }) => {
	// Well-formed (128 random bits, like a real id) but never created.
	const path = `/meetings/${randomBytes(16).toString('base64url')}`;
	const response = await page.goto(path);
	expect(response?.status()).toBe(404);
	// Answered on the meeting's own address, not after a redirect to some page that does not exist.
	expect(new URL(page.url()).pathname).toBe(path);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(fi.error_heading);
	await expect(page.getByText(fi.error_not_found)).toBeVisible();
	await expect(page.getByRole('textbox')).toHaveCount(0);
});
