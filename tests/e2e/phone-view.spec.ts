/**
 * The client's own phone (issue #21, items 5, 6, 9 and 10): a calm view that opens at the current
 * phase in large type with nothing destructive on it, a summary that starts with the plain plan, "Was
 * I heard?" answered on the phone alone, a connection state that tells the truth within 3 s of the
 * network going away, and a words field that takes typing before the page's scripts arrive.
 */
import type { BrowserContext, Route } from '@playwright/test';
import * as Y from 'yjs';
import { addAction, addGoal, addService, clientVoice } from '../../src/lib/meeting/index';
import { connectProvider, synced } from '../helpers/yjs-client';
import {
	catalogs,
	editorText,
	editorUnder,
	expect,
	expectAccessible,
	helsinkiDay,
	locales,
	openRoom,
	sessionCookieOf,
	syncStatus,
	test,
	useLanguage,
	type World
} from './fixtures';

const fi = catalogs.fi;
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

/** The client's words as the server has stored them (the live plan, read by the coordinator). */
async function storedWords(desk: BrowserContext, meetingId: string): Promise<string> {
	const response = await desk.request.get(`/api/meetings/${meetingId}/plan`);
	return ((await response.json()) as { clientVoice: string }).clientVoice;
}

test('on a slow phone the words field takes typing before the page’s scripts arrive, and nothing typed is lost', async ({ world }, testInfo) => {
	const baseURL = testInfo.project.use.baseURL!;
	const { meetingId, desk, client } = await meetingWithClient(world, 'Hidas puhelin – Sjöström');
	// The coordinator's device writes the first words, live, as a scribe would.
	const { doc, provider } = connectProvider(`${baseURL.replace(/^http/, 'ws')}/yjs`, meetingId, new Y.Doc(), {
		cookie: await sessionCookieOf(desk)
	});
	await synced(provider);
	const words = clientVoice(doc);
	words.insert(0, 'Åsa kertoo: ');
	await expect.poll(() => storedWords(desk, meetingId)).toBe('Åsa kertoo: ');

	await test.step('the room page comes compressed, with the words rendered into the field', async () => {
		const response = await client.request.get(`/meetings/${meetingId}`, { headers: { 'accept-encoding': 'gzip' } });
		expect(response.headers()['content-encoding']).toBe('gzip');
		expect(await response.text()).toContain('Åsa kertoo: </textarea>');
	});

	// Every script is held back, as on a slow link where the page arrives long before its scripts.
	const held: Route[] = [];
	let scriptsArrive = false;
	await client.route('**/*', (route) =>
		route.request().resourceType() === 'script' && !scriptsArrive ? void held.push(route) : route.continue()
	);
	const page = await client.newPage();
	await page.goto(`/meetings/${meetingId}`, { waitUntil: 'commit' });
	const field = page.locator('[data-client-view] textarea');

	await test.step('before any script: the field shows the words and takes typing', async () => {
		await expect(field).toHaveValue('Åsa kertoo: ');
		await expect(field).toBeEditable();
		await expect.poll(() => held.length).toBeGreaterThan(0);
		await expect(page.locator('html[data-hydrated]')).toHaveCount(0);
		await field.click();
		await page.keyboard.press('End');
		await page.keyboard.type('haluan töihin Äänekoskelle.');
		await expect(field).toHaveValue('Åsa kertoo: haluan töihin Äänekoskelle.');
	});

	await test.step('meanwhile the coordinator writes before those words', async () => {
		words.insert(0, 'Tapaaminen 1. ');
		await expect.poll(() => storedWords(desk, meetingId)).toBe('Tapaaminen 1. Åsa kertoo: ');
	});

	await test.step('the scripts arrive: what the client typed joins the live text beside the coordinator’s, and is saved', async () => {
		scriptsArrive = true;
		for (const route of held.splice(0)) await route.continue();
		const merged = 'Tapaaminen 1. Åsa kertoo: haluan töihin Äänekoskelle.';
		await expect(page.locator('[data-client-view] textarea[data-live]')).toHaveValue(merged, { timeout: 30_000 });
		await expect(page.locator('[data-pending]')).toHaveAttribute('data-pending', '0', { timeout: 15_000 });
		await expect.poll(() => storedWords(desk, meetingId)).toBe(merged);
		await expect.poll(() => words.toString()).toBe(merged);
		// The caret stays after what the client typed: typing on continues there.
		await page.keyboard.type(' Kiitos.');
		await expect.poll(() => storedWords(desk, meetingId)).toBe(`${merged} Kiitos.`);
	});
	provider.destroy();
	doc.destroy();
});

/** Writes a service, a goal and its action into the meeting's document as the coordinator's device would. */
async function writePlan(desk: BrowserContext, baseURL: string, meetingId: string, ownerId: string) {
	const { doc, provider } = connectProvider(`${baseURL.replace(/^http/, 'ws')}/yjs`, meetingId, new Y.Doc(), {
		cookie: await sessionCookieOf(desk)
	});
	await synced(provider);
	const serviceId = addService(doc, { name: 'Työkokeilu Äänekoskella', provider: 'Työllisyyspalvelut' });
	const goalId = addGoal(doc, { text: 'Palaan työhön osa-aikaisesti syksyllä.', area: 'work' });
	addAction(doc, { text: 'Haen työkokeilua.', goalId, serviceId, owner: ownerId, due: helsinkiDay(30) });
	// The server has stored it once a fresh state vector from it covers ours.
	provider.destroy();
	doc.destroy();
}

test('the client’s phone opens at the current phase, calm, large and without destructive controls', async ({ world }, testInfo) => {
	const baseURL = testInfo.project.use.baseURL!;
	const { meetingId, desk, client, clientId } = await meetingWithClient(world, 'Selkeä näkymä – Sjöström');
	await writePlan(desk, baseURL, meetingId, clientId);
	await setPhase(desk, meetingId, 'plan');
	const page = await openRoom(client, meetingId);
	const view = page.locator('[data-client-view]');

	await test.step('the phase comes first, with its plain-language text, and the plan as a simple list', async () => {
		const now = page.getByRole('heading', { name: fi.agenda_current.replace('{phase}', fi.phase_plan) });
		await expect(now).toBeVisible();
		await expect(page.getByText(fi.phone_phase_plan)).toBeVisible();
		// At the top of the phone's screen, without scrolling.
		const box = await now.boundingBox();
		expect(box!.y + box!.height).toBeLessThan(740);
		await expect(view).toHaveAttribute('data-part', 'plan');
		const plan = page.getByRole('region', { name: fi.phone_plan_heading, exact: true });
		await expect(plan.getByRole('listitem')).toContainText('Palaan työhön osa-aikaisesti syksyllä.');
		await expect(plan).toContainText('Haen työkokeilua.');
		await expect(plan).toContainText(fi.phone_action_who.replace('{name}', clientName));
	});

	await test.step('nothing on it deletes, removes or picks an owner, and the type is large', async () => {
		await expect(page.getByRole('button', { name: /poista|remove|ta bort/i })).toHaveCount(0);
		await expect(page.getByRole('combobox')).toHaveCount(0);
		const size = await view.evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
		expect(size).toBeGreaterThanOrEqual(20);
		// A page one reads on a phone, not the 7,000–11,000 px of the professional editor.
		const height = await page.evaluate(() => document.documentElement.scrollHeight);
		expect(height).toBeLessThan(4 * 740);
	});

	await test.step('the phase moves: the phone follows to the services', async () => {
		await setPhase(desk, meetingId, 'service_map');
		await expect(view).toHaveAttribute('data-part', 'map');
		await expect(page.getByRole('region', { name: fi.phone_map_heading, exact: true })).toContainText('Työkokeilu Äänekoskella');
	});

	await test.step('axe finds nothing in Finnish, Swedish or English', async () => {
		for (const locale of locales) {
			await useLanguage(client, baseURL, locale);
			await page.reload();
			await expect(syncStatus(page)).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
			await expect(page.getByText(catalogs[locale].phone_phase_service_map)).toBeVisible();
			await expectAccessible(page, `the client's phone view (${locale})`);
		}
		await useLanguage(client, baseURL, 'fi');
	});

	await test.step('the full view stays one tap away, and back', async () => {
		await page.reload();
		// Hydrated (the live status shows) before the button is pressed.
		await expect(syncStatus(page)).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
		await page.getByRole('button', { name: fi.phone_full_view }).click();
		await expect(view).toHaveCount(0);
		await page.getByRole('button', { name: fi.phone_simple_view }).click();
		await expect(view).toBeVisible();
	});

	await test.step('after closing, the client’s summary opens with the plain plan; the hash is folded away', async () => {
		const kela = await world.invite(desk, meetingId, { name: 'Väinö Öhman', role: 'kela', organisation: 'Kela' });
		const responsible = { participantId: kela.participantId, followUpDate: helsinkiDay(30), followUpMode: 'call', contact: '020 634 0000' };
		expect((await desk.request.put(`/api/meetings/${meetingId}/responsible`, { data: responsible })).status()).toBe(200);
		const closed = await desk.request.post(`/api/meetings/${meetingId}/close`, { data: { confirmIncompleteActions: true } });
		expect(closed.status(), await closed.text()).toBe(200);
		await page.goto(`/meetings/${meetingId}/summary`);
		const headings = page.getByRole('heading', { level: 2 });
		await expect(headings.first()).toBeVisible();
		const plain = page.getByRole('region').filter({ has: page.locator('#plain-heading') });
		await expect(plain).toContainText('Palaan työhön osa-aikaisesti syksyllä.');
		expect(await headings.first().getAttribute('id')).toBe('plain-heading');
		await expect(page.getByText(/SHA-256/)).toBeHidden();
		await page.getByText(fi.phone_summary_details).click();
		await expect(page.getByText(/SHA-256/)).toBeVisible();
		await expectAccessible(page, "the client's summary");
	});
});
