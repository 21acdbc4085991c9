/**
 * The client's own words on the phone are a plain textarea bound to the shared Y.Text
 * (PlainCollabText, issue #21 item 10): it converges with the professionals' CodeMirror editor and
 * with a remote writer, and the client's caret stays where it was when someone else writes before it.
 */
import * as Y from 'yjs';
import { clientVoice } from '../../src/lib/meeting/index';
import { connectProvider, synced } from '../helpers/yjs-client';
import { catalogs, editorText, editorUnder, expect, openRoom, sessionCookieOf, test } from './fixtures';

const fi = catalogs.fi;
const phone360 = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

test.describe.configure({ timeout: 240_000 });

test('the phone textarea and the desktop editor converge, and a remote edit before the caret does not move it', async ({ world }, testInfo) => {
	const baseURL = testInfo.project.use.baseURL!;
	const coordinator = await world.account('Aino Äijälä');
	const meetingId = await world.meeting('Sanat puhelimella – Östersundin tiimi', coordinator);
	const desk = await world.signedIn(coordinator);
	const { inviteUrl } = await world.invite(desk, meetingId, { name: 'Åsa Sjöström', role: 'client' });
	const client = await world.guest(inviteUrl, 'Åsa Sjöström', ['kela'], phone360);

	const phone = await openRoom(client, meetingId);
	const desktop = await openRoom(desk, meetingId);
	const words = editorUnder(phone, fi.meeting_client_voice_heading);
	const desktopWords = editorUnder(desktop, fi.meeting_client_voice_heading);
	// A textarea: no CodeMirror on the client's phone.
	await expect(words).toHaveJSProperty('tagName', 'TEXTAREA');
	await expect(words).toBeEditable();

	await test.step('what the phone types reaches the desktop', async () => {
		await words.click();
		await phone.keyboard.type('Haluan töihin.', { delay: 5 });
		await expect.poll(() => editorText(desktopWords)).toBe('Haluan töihin.');
	});

	await test.step('a remote insert before the caret keeps the caret on its word', async () => {
		await words.evaluate((area: HTMLTextAreaElement) => area.setSelectionRange(7, 7));
		const { doc, provider } = connectProvider(`${baseURL.replace(/^http/, 'ws')}/yjs`, meetingId, new Y.Doc(), {
			cookie: await sessionCookieOf(desk)
		});
		await synced(provider);
		clientVoice(doc).insert(0, 'Åsa: ');
		await expect(words).toHaveValue('Åsa: Haluan töihin.');
		await phone.keyboard.type('kovasti ', { delay: 5 });
		await expect(words).toHaveValue('Åsa: Haluan kovasti töihin.');
		await expect.poll(() => clientVoice(doc).toString()).toBe('Åsa: Haluan kovasti töihin.');
		provider.destroy();
	});

	await test.step('typing at the same time on both converges to one text', async () => {
		await desktopWords.click();
		await desktop.keyboard.press('Control+End');
		await words.evaluate((area: HTMLTextAreaElement) => area.setSelectionRange(0, 0));
		await Promise.all([desktop.keyboard.type(' Sjöström kuuntelee.', { delay: 20 }), phone.keyboard.type('Nyt: ', { delay: 20 })]);
		const together = 'Nyt: Åsa: Haluan kovasti töihin. Sjöström kuuntelee.';
		await expect(words).toHaveValue(together);
		await expect.poll(() => editorText(desktopWords)).toBe(together);
	});
});
