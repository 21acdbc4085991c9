/**
 * The live meeting room (issue #4) with three people on three devices: the coordinator at a desk,
 * the client on their own phone in the room, and a professional from employment services joining
 * remotely. The agenda, the client's own words, raised hands on the room screen, an edit made
 * offline, and someone who joins late all have to agree across every context.
 */
import type { BrowserContext, Page, WebSocketRoute } from '@playwright/test';
import { catalogs, editorText, editorUnder, expect, openRoom, phone, syncStatus, test } from './fixtures';

const fi = catalogs.fi;
const phases = ['introductions', 'client_voice', 'perspectives', 'service_map', 'plan', 'responsible_worker', 'close'] as const;
const phaseName = (phase: (typeof phases)[number]) => fi[`phase_${phase}`];

const clientName = 'Sanna Häkkinen';
const professionalName = 'Pekka Östergård';
const remoteProfessional = {
	name: professionalName,
	role: 'employment',
	organisation: 'Työllisyyspalvelut, Jyväskylä',
	presence: 'remote'
} as const;
// Invented words only (STYLE.md 9).
const clientWords = 'Haluaisin palata työhön syksyllä, ensin neljä tuntia päivässä.';
const clientMore = ' Selkä kipeytyy, jos seison pitkään.';
const offlineLine = 'Työkokeilu Äänekoskella voisi alkaa lokakuussa.';
const offlineQuestion = 'Riittääkö Kelan kuntoutusraha koko työkokeilun ajan?';

/**
 * A context's network, cut and restored. `context.setOffline(true)` fails new requests and tells the
 * page it is offline, but Chromium leaves open websockets connected; a real network loss drops them.
 * So the meeting's websockets (Yjs and socket.io; not Vite's, whose loss reloads the page) pass
 * through a route that drops them, and refuses new ones, while the context is offline.
 *
 * A refused attempt closes before it opens without an `error` event (Playwright's websocket stand-in
 * has none), which socket.io takes for a hanging attempt and waits out for 20 s; a real network
 * can do the same. The room reconnects both channels as soon as the browser is online again.
 */
async function cuttableNetwork(context: BrowserContext) {
	let offline = false;
	const open = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>();
	const refused: string[] = [];
	await context.routeWebSocket(/\/(yjs|socket\.io)\b/, (page) => {
		if (offline) {
			refused.push(page.url());
			void page.close({ code: 1001, reason: 'offline' });
			return;
		}
		const pair = { page, server: page.connectToServer() };
		open.add(pair);
		// A close handler replaces Playwright's forwarding of a close to the other side: forward it
		// here, or the server keeps a socket the page has dropped (socket.io closes its own on the
		// page's `offline` event).
		pair.page.onClose(() => {
			open.delete(pair);
			void pair.server.close();
		});
		pair.server.onClose((code, reason) => {
			open.delete(pair);
			// A close event inside the page, with the server's code (the app's 4xxx codes matter there).
			void pair.page.close({ code, reason });
		});
	});
	const drop = async () => {
		const pairs = [...open];
		open.clear();
		for (const { page, server } of pairs) {
			await server.close({ code: 1001, reason: 'offline' });
			await page.close({ code: 1001, reason: 'offline' });
		}
	};
	return {
		/** Connection attempts refused while cut, by URL. */
		refused,
		/** The network lost and found, as the browser notices it (`offline` and `online` events). */
		async setOffline(value: boolean) {
			offline = value;
			await context.setOffline(value);
			if (value) await drop();
		},
		/** The connections lost while the browser still believes it is online: a phone in a pocket. */
		async cutSilently(value: boolean) {
			offline = value;
			if (value) await drop();
		}
	};
}

/** The agenda step marked current (aria-current="step"). */
function currentStep(page: Page) {
	return page.getByRole('navigation', { name: fi.agenda_heading }).locator('[aria-current="step"]');
}

function voice(page: Page) {
	return editorUnder(page, fi.meeting_client_voice_heading);
}

function questions(page: Page) {
	return page.getByRole('region', { name: fi.questions_heading });
}

test('three contexts follow the agenda, see the client’s words as typed, a remote hand on the room screen, and converge after offline edits', async ({
	world
}) => {
	test.setTimeout(120_000);
	const coordinator = await world.account('Aino Mäkelä');
	const meetingId = await world.meeting('Verkostotapaaminen – Sanna H.', coordinator);
	const deskContext = await world.signedIn(coordinator);
	const clientInvite = await world.invite(deskContext, meetingId, { name: clientName, role: 'client', presence: 'room' });
	const professionalInvite = await world.invite(deskContext, meetingId, remoteProfessional);
	const professionalContext = await world.guest(professionalInvite.inviteUrl, professionalName);
	const professionalNetwork = await cuttableNetwork(professionalContext);
	const [desk, client, professional] = await Promise.all([
		openRoom(deskContext, meetingId),
		world.guest(clientInvite.inviteUrl, clientName, ['kela', 'employment'], phone).then((c) => openRoom(c, meetingId)),
		openRoom(professionalContext, meetingId)
	]);
	const everyone = [desk, client, professional];
	let converged = '';

	await test.step('the coordinator moves through all seven phases; the others follow each step', async () => {
		for (const page of everyone) await expect(currentStep(page)).toContainText(phaseName('introductions'));
		const next = desk.getByRole('button', { name: fi.agenda_next });
		for (const phase of phases.slice(1)) {
			await next.click();
			for (const page of everyone) await expect(currentStep(page)).toContainText(phaseName(phase));
		}
		await expect(next).toBeDisabled();
		// Only the coordinator moves the agenda.
		await expect(client.getByRole('button', { name: fi.agenda_next })).toHaveCount(0);
		await expect(professional.getByRole('button', { name: fi.agenda_next })).toHaveCount(0);
	});

	await test.step('back to the client’s own words, straight from the rail', async () => {
		await desk
			.getByRole('navigation', { name: fi.agenda_heading })
			.getByRole('button', { name: new RegExp(`^${phaseName('client_voice')}`) })
			.click();
		for (const page of everyone) {
			await expect(currentStep(page)).toContainText(phaseName('client_voice'));
			await expect(page.getByRole('heading', { name: fi.agenda_current.replace('{phase}', phaseName('client_voice')) })).toBeVisible();
		}
	});

	await test.step('the client types on the phone; the others see it as it is typed', async () => {
		await expect(voice(client)).toBeEditable();
		const half = clientWords.indexOf(',') + 1;
		await voice(client).pressSequentially(clientWords.slice(0, half), { delay: 15 });
		for (const page of [desk, professional]) await expect.poll(() => editorText(voice(page))).toBe(clientWords.slice(0, half));
		await voice(client).pressSequentially(clientWords.slice(half), { delay: 15 });
		for (const page of [desk, professional]) await expect.poll(() => editorText(voice(page))).toBe(clientWords);
	});

	const screen = await test.step('the room screen follows the phase and shows the client’s words', async () => {
		const page = await deskContext.newPage();
		await page.goto(`/meetings/${meetingId}/screen`);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(phaseName('client_voice'));
		await expect.poll(() => editorText(editorUnder(page, fi.meeting_client_voice_heading))).toBe(clientWords);
		return page;
	});

	await test.step('the remote professional raises a hand, then the client: the room screen shows both in queue order', async () => {
		await professional.getByRole('button', { name: fi.hands_raise }).click();
		await expect(professional.getByRole('button', { name: fi.hands_lower })).toHaveAttribute('aria-pressed', 'true');
		const hands = screen.getByRole('region', { name: fi.hands_heading }).getByRole('listitem');
		await expect(hands).toHaveCount(1);
		await client.getByRole('button', { name: fi.hands_raise }).click();
		await expect(hands).toHaveCount(2);
		await expect(hands.nth(0)).toContainText(professionalName);
		await expect(hands.nth(0)).toContainText(fi.presence_remote);
		await expect(hands.nth(0)).toHaveAttribute('data-participant', professionalInvite.participantId);
		await expect(hands.nth(1)).toContainText(clientName);
		await expect(hands.nth(1)).toContainText(fi.presence_room);
		// The coordinator's queue agrees.
		const deskHands = desk.getByRole('region', { name: fi.hands_heading }).getByRole('listitem');
		await expect(deskHands.nth(0)).toContainText(professionalName);
		await expect(deskHands.nth(1)).toContainText(clientName);
	});

	await test.step('the professional loses the network, keeps writing, and sees the changes wait', async () => {
		await professionalNetwork.setOffline(true);
		await expect(syncStatus(professional)).toHaveAttribute('data-state', 'offline');
		await expect(syncStatus(professional)).toContainText(fi.sync_offline);
		// The room's decisions cannot arrive either, and the page says so.
		await expect(professional.getByText(fi.room_offline_actions)).toBeVisible();
		// A room action needs the server: it is refused at once, and the page says so in its language.
		await professional.getByRole('button', { name: fi.hands_lower }).click();
		await expect(professional.getByRole('alert').filter({ hasText: fi.room_error_offline })).toBeVisible();
		await voice(professional).click();
		await professional.keyboard.press('ControlOrMeta+End');
		await professional.keyboard.press('Enter');
		await professional.keyboard.type(offlineLine, { delay: 5 });
		await questions(professional).getByRole('button', { name: fi.questions_add }).click();
		// Adding a question moves the caret into it.
		const question = questions(professional).getByRole('listitem').getByRole('textbox');
		await expect(question).toBeFocused();
		await professional.keyboard.type(offlineQuestion, { delay: 5 });
		await expect.poll(() => editorText(question)).toBe(offlineQuestion);
		const pending = professional.locator('[data-pending]');
		await expect.poll(async () => Number(await pending.getAttribute('data-pending'))).toBeGreaterThan(0);
		await expect(pending).toHaveText(/\d/);
		// Meanwhile the client, still online, adds to their words.
		await voice(client).click();
		await client.keyboard.press('ControlOrMeta+End');
		await client.keyboard.type(clientMore, { delay: 5 });
		await expect.poll(() => editorText(voice(desk))).toBe(clientWords + clientMore);
		// Nothing of the offline edits has reached the others.
		expect(await editorText(voice(desk))).not.toContain(offlineLine);
	});

	await test.step('back online, every context converges and nothing is left pending', async () => {
		await professionalNetwork.setOffline(false);
		await expect(syncStatus(professional)).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
		// Both appended at the end of the same text at once: Yjs orders such concurrent inserts by
		// client id, so either order is a correct merge. Every context must hold the same one, with both.
		await expect.poll(() => editorText(voice(desk)), { timeout: 15_000 }).toContain(offlineLine);
		const expected = await editorText(voice(desk));
		expect(expected).toContain(clientMore.trim());
		expect(expected.startsWith(clientWords)).toBe(true);
		converged = expected;
		for (const page of everyone) {
			await expect.poll(() => editorText(voice(page)), { timeout: 15_000 }).toBe(expected);
			// The client's calm view (ClientView.svelte) shows their own words, not the team's open questions.
			if (page === client) continue;
			await expect(questions(page).getByRole('listitem')).toHaveCount(1);
			await expect.poll(() => editorText(questions(page).getByRole('listitem').getByRole('textbox'))).toBe(offlineQuestion);
		}
		// The server has confirmed storing every change made offline: nothing is left to warn about.
		await expect(professional.locator('[data-pending]')).toHaveAttribute('data-pending', '0', { timeout: 15_000 });
		await expect(professional.getByText(fi.room_offline_actions)).toHaveCount(0);
		// The refused action's notice goes with the lost connection; the hand was never lowered.
		await expect(professional.getByText(fi.room_error_offline)).toHaveCount(0);
		await expect(professional.getByRole('button', { name: fi.hands_lower })).toBeVisible();
		await expect(screen.getByRole('region', { name: fi.questions_heading })).toContainText(offlineQuestion);
	});

	await test.step('the coordinator moves on to perspectives; someone who joins now lands there with everything', async () => {
		await desk.getByRole('button', { name: fi.agenda_next }).click();
		await expect(currentStep(professional)).toContainText(phaseName('perspectives'));
		const late = await openRoom(await world.sameSession(deskContext), meetingId);
		await expect(currentStep(late)).toContainText(phaseName('perspectives'));
		await expect(late.getByRole('heading', { name: fi.agenda_current.replace('{phase}', phaseName('perspectives')) })).toBeVisible();
		await expect.poll(() => editorText(voice(late))).toBe(converged);
		await expect.poll(() => editorText(questions(late).getByRole('listitem').getByRole('textbox'))).toBe(offlineQuestion);
		const hands = late.getByRole('region', { name: fi.hands_heading }).getByRole('listitem');
		await expect(hands).toHaveCount(2);
		await expect(hands.nth(0)).toContainText(professionalName);
		await expect(hands.nth(1)).toContainText(clientName);
		const roster = late.getByRole('region', { name: fi.roster_heading });
		await expect(roster.getByRole('listitem').filter({ hasText: clientName })).toHaveAttribute('data-online', 'true');
		await expect(roster.getByRole('listitem').filter({ hasText: professionalName })).toHaveAttribute('data-online', 'true');
	});
});

test('a participant whose connection died unnoticed gets the room back at once when the page is in view again', async ({
	world
}) => {
	const coordinator = await world.account('Aino Mäkelä');
	const meetingId = await world.meeting('Verkostotapaaminen – Jaana Å.', coordinator);
	const deskContext = await world.signedIn(coordinator);
	const invite = await world.invite(deskContext, meetingId, remoteProfessional);
	const professionalContext = await world.guest(invite.inviteUrl, professionalName);
	const network = await cuttableNetwork(professionalContext);
	const [desk, professional] = await Promise.all([openRoom(deskContext, meetingId), openRoom(professionalContext, meetingId)]);

	await network.cutSilently(true);
	await expect(syncStatus(professional)).toHaveAttribute('data-state', 'reconnecting');
	await expect(professional.getByText(fi.room_offline_actions)).toBeVisible();
	// socket.io has tried again and been refused: it now waits out its 20 s connect timeout.
	await expect.poll(() => network.refused.some((url) => url.includes('/socket.io/'))).toBe(true);

	// The connection is possible again, and the person looks at the page (a phone unlocked).
	await network.cutSilently(false);
	await professional.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
	await expect(syncStatus(professional)).toHaveAttribute('data-state', 'connected', { timeout: 5_000 });
	await expect(professional.getByText(fi.room_offline_actions)).toHaveCount(0, { timeout: 5_000 });
	await desk.getByRole('button', { name: fi.agenda_next }).click();
	await expect(currentStep(professional)).toContainText(phaseName('client_voice'), { timeout: 5_000 });
});
