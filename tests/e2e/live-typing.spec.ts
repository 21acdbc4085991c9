import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from '@playwright/test';
import { editorText, editorUnder, expect, fiAll as fi, test } from './fixtures';

// Invented words only (STYLE.md 9): a client's own words in Finnish, a professional's in Swedish.
const clientWords = 'Haluaisin palata työhön syksyllä, ensin neljä tuntia päivässä. Äänekoski käy hyvin.';
const professionalWords = 'Vi kan börja med en arbetsprövning på två dagar i veckan, gärna nära hemmet i Åbo.';

/** A participant's own browser context (own cookies, own websocket), on the meeting page. */
async function openMeeting(context: BrowserContext, meetingId: string): Promise<Page> {
	const page = await context.newPage();
	await page.goto(`/meetings/${meetingId}`);
	await expect(page.locator('[role="status"][data-state]')).toHaveText(fi.sync_connected, { timeout: 30_000 });
	return page;
}

test('two participants see each other typing live', async ({ world }) => {
	// Every page needs a session (issue #3): the coordinator signs in, the client joins by invitation.
	const { meetingId, coordinatorContext, clientContext } = await test.step('a coordinator prepares the meeting; the client joins', async () => {
		const coordinator = await world.account('Oskari Sjöholm');
		const meetingId = await world.meeting('Työkokeilun suunnittelu – Östersundin tiimi', coordinator);
		const coordinatorContext = await world.signedIn(coordinator);
		const { inviteUrl } = await world.invite(coordinatorContext, meetingId, { name: 'Liisa Äijälä', role: 'client' });
		const clientContext = await world.guest(inviteUrl, 'Liisa Äijälä', ['kela']);
		return { meetingId, coordinatorContext, clientContext };
	});
	const [client, professional] = await test.step('both open it', () =>
		Promise.all([openMeeting(clientContext, meetingId), openMeeting(coordinatorContext, meetingId)])
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
		await expect(client.locator('[role="status"][data-state]')).toHaveAttribute('data-state', 'connected');
		await expect(professional.locator('[role="status"][data-state]')).toHaveAttribute('data-state', 'connected');
	});

	await test.step('someone who opens the meeting afterwards gets the same text from the server', async () => {
		const latecomer = await openMeeting(await world.sameSession(coordinatorContext), meetingId);
		await expect.poll(() => editorText(editorUnder(latecomer, fi.meeting_client_voice_heading))).toBe(together);
	});

});

test('Enter at the end of the text adds one line break, also when the page is busy as the key is pressed', async ({ world }) => {
	const coordinator = await world.account('Märta Sjöblom');
	const meetingId = await world.meeting('Verkostotapaaminen – Åke Öhman', coordinator);
	const page = await openMeeting(await world.signedIn(coordinator), meetingId);
	const editor = editorUnder(page, fi.meeting_client_voice_heading);
	await expect(editor).toBeEditable();
	await editor.pressSequentially('Ensimmäinen rivi.', { delay: 10 });
	await expect.poll(() => editorText(editor)).toBe('Ensimmäinen rivi.');
	// A page busy for 150 ms right after the key, as a slow phone or a loaded laptop is: when the
	// browser is left to insert the line break itself, Chromium inserts two at the end of a line,
	// and the editor drops the extra one only when it reads the change within 100 ms of the key.
	await page.evaluate(() => {
		window.addEventListener('keydown', () => {
			const until = performance.now() + 150;
			while (performance.now() < until);
		});
	});
	for (const line of ['Toinen rivi.', 'Kolmas rivi.']) {
		await page.keyboard.press('Enter');
		await editor.pressSequentially(line, { delay: 10 });
	}
	await expect.poll(() => editorText(editor)).toBe('Ensimmäinen rivi.\nToinen rivi.\nKolmas rivi.');
});

test('an unknown meeting id shows the not-found page', async ({ world }) => {
	const page = await (await world.signedIn(await world.account('Helmi Nyström', 'professional'))).newPage();
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
