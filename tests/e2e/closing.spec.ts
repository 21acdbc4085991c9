/**
 * Closing the meeting in the browser (issue #6): the coordinator sees what is missing with a link to
 * fix each item, closes behind a confirmation, and every other participant's editor turns read-only
 * live, without a reload. Then the summary page and its exports answer.
 *
 * Set up the way people do it: the account with the admin command line, signing in with the /login
 * form, participants through the API, the client joining with the invitation form (giving consent),
 * the plan's content written by a stock y-websocket client with the coordinator's session.
 */
import { readFileSync } from 'node:fs';
import { request as http, type APIRequestContext, type Browser, type BrowserContext, type Page } from '@playwright/test';
import * as Y from 'yjs';
import { addAction, addGoal, addService, clientVoice } from '../../src/lib/meeting/index';
import { connectProvider, synced } from '../helpers/yjs-client';
import { admin, editorUnder, expect, fi, helsinkiDay, password, test } from './fixtures';

/** The Finnish closing catalog: what a Finnish coordinator reads. */
const close = JSON.parse(readFileSync(new URL('../../messages/close/fi.json', import.meta.url), 'utf8')) as typeof import('../../messages/close/fi.json');
const record = JSON.parse(readFileSync(new URL('../../messages/record/fi.json', import.meta.url), 'utf8')) as typeof import('../../messages/record/fi.json');

/** The session cookie a request context holds, as `name=value`. */
async function sessionCookie(ctx: APIRequestContext): Promise<{ name: string; value: string }> {
	const cookie = (await ctx.storageState()).cookies.find((c) => c.name === 'verkosto_session');
	if (!cookie) throw new Error('no session cookie');
	return { name: cookie.name, value: cookie.value };
}

/** A browser context signed in with the same session as `ctx`. */
async function browserAs(browser: Browser, ctx: APIRequestContext, baseURL: string): Promise<BrowserContext> {
	const context = await browser.newContext();
	const { name, value } = await sessionCookie(ctx);
	await context.addCookies([{ name, value, url: baseURL }]);
	return context;
}

async function openRoom(context: BrowserContext, meetingId: string): Promise<Page> {
	const page = await context.newPage();
	await page.goto(`/meetings/${meetingId}`);
	await expect(page.locator('[data-state="connected"]')).toHaveText(fi.sync_connected, { timeout: 30_000 });
	return page;
}

test('closing in the browser turns another participant’s editor read-only live', async ({ browser, dataDir }, testInfo) => {
	// Two browsers, the admin command line and the confirmation steps: more than a minute on a busy machine.
	test.slow();
	const baseURL = testInfo.project.use.baseURL!;
	const run = `${testInfo.project.name}.${Date.now()}`;
	const contexts: APIRequestContext[] = [];
	const requestContext = async () => {
		const created = await http.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
		contexts.push(created);
		return created;
	};

	const { meetingId, coordinator, client } = await test.step('a coordinator prepares a meeting; the client joins with consent', async () => {
		const email = `aino.${run}@example.fi`;
		await admin(['user', 'add', '--email', email, '--name', 'Aino Mäkelä', '--role', 'coordinator'], dataDir, `${password}\n`);
		const coordinator = await requestContext();
		expect((await coordinator.post('/login', { form: { email, password }, headers: { accept: 'text/html' }, maxRedirects: 0 })).status()).toBe(303);
		const meetingId = await admin(['meeting', 'create', '--title', 'Verkostotapaaminen – Östersund', '--coordinator', email], dataDir);
		const added = await coordinator.post(`/api/meetings/${meetingId}/participants`, {
			data: { name: 'Sanna Häkkinen', role: 'client', presence: 'remote', access: 'edit' }
		});
		expect(added.status()).toBe(201);
		const { inviteUrl } = (await added.json()) as { inviteUrl: string };
		const client = await requestContext();
		const joined = await client.post(new URL(inviteUrl).pathname, {
			form: { name: 'Sanna Häkkinen', consent: 'kela' },
			headers: { accept: 'text/html' },
			maxRedirects: 0
		});
		expect(joined.status()).toBe(303);
		const kela = await coordinator.post(`/api/meetings/${meetingId}/participants`, {
			data: { name: 'Åsa Lindström', role: 'kela', organisation: 'Kela', presence: 'room', access: 'edit' }
		});
		expect(kela.status()).toBe(201);
		expect((await coordinator.put(`/api/meetings/${meetingId}/phase`, { data: { phase: 'close' } })).status()).toBe(200);
		return { meetingId, coordinator, client };
	});

	const coordinatorPage = await openRoom(await browserAs(browser, coordinator, baseURL), meetingId);
	const clientPage = await openRoom(await browserAs(browser, client, baseURL), meetingId);

	await test.step('the checklist says what is missing, and its link opens the section that fixes it', async () => {
		const panel = coordinatorPage.getByRole('region', { name: close.close_heading });
		await expect(panel.locator('li[data-item="responsible_worker"]')).toHaveAttribute('data-state', 'missing');
		await expect(panel.locator('li[data-item="goal"]')).toHaveAttribute('data-state', 'missing');
		await expect(panel.locator('li[data-item="client_consent"]')).toHaveAttribute('data-state', 'done');
		// The scope the client chose is named (issue #19).
		await expect(panel.locator('li[data-item="client_consent"]')).toContainText(record.record_close_consent_given.replace('{organisations}', 'Kela'));
		await panel.getByRole('link', { name: close.close_fix_responsible }).click();
		await expect(coordinatorPage.locator('#tab-follow_up')).toHaveAttribute('aria-selected', 'true');
		await expect(coordinatorPage.locator('#tab-follow_up')).toBeFocused();
		// Closing now is refused with the reason, before anything is sent.
		await panel.getByRole('button', { name: close.close_button }).click();
		await expect(panel.getByRole('alert')).toHaveText(close.close_incomplete);
	});

	await test.step('the plan is written and the responsible worker named; the checklist follows live', async () => {
		const { name, value } = await sessionCookie(coordinator);
		const { doc, provider } = connectProvider(`${baseURL.replace(/^http/, 'ws')}/yjs`, meetingId, new Y.Doc(), { cookie: `${name}=${value}` });
		await synced(provider);
		const service = addService(doc, { name: 'Työkokeilu', sector: 'employment', status: 'planned', tie: 'strong' });
		const goal = addGoal(doc, { text: 'Palaan työhön osa-aikaisesti.', area: 'work' });
		addAction(doc, { text: 'Hakemus työkokeiluun.', goalId: goal, serviceId: service, due: helsinkiDay(20) });
		const participants = (await (await coordinator.get(`/api/meetings/${meetingId}`)).json()) as { participants: Array<{ id: string; role: string }> };
		const kela = participants.participants.find((p) => p.role === 'kela')!;
		const named = await coordinator.put(`/api/meetings/${meetingId}/responsible`, {
			data: { participantId: kela.id, followUpDate: helsinkiDay(30), followUpMode: 'call', contact: '020 634 0000' }
		});
		expect(named.status()).toBe(200);
		const panel = coordinatorPage.getByRole('region', { name: close.close_heading });
		await expect(panel.locator('li[data-state="missing"]')).toHaveCount(0);
		await expect(panel.getByText(close.close_ready)).toBeVisible();
		provider.destroy();
	});

	const clientEditor = editorUnder(clientPage, fi.meeting_client_voice_heading);
	await test.step('the client can write before closing', async () => {
		await clientPage.locator('#tab-situation').click();
		await expect(clientEditor).toBeEditable();
		await clientEditor.pressSequentially('Haluan palata töihin.', { delay: 5 });
		await expect(coordinatorPage.locator('[data-state="connected"]')).toBeVisible();
	});

	await test.step('the coordinator closes, after confirming the action without an owner and the closing', async () => {
		const panel = coordinatorPage.getByRole('region', { name: close.close_heading });
		// The action has a due date but nobody owns it: the checklist says so and asks to confirm (issue #19).
		const warning = panel.getByRole('group', { name: record.record_close_actions_heading });
		await expect(warning.getByRole('listitem')).toHaveText(
			`${record.record_close_action_item.replace('{number}', '1').replace('{text}', 'Hakemus työkokeiluun.')} (${record.record_missing_owner})`
		);
		await panel.getByRole('button', { name: close.close_button }).click();
		await expect(panel.getByRole('alert')).toHaveText(record.record_close_actions_confirm_first);
		const confirmIncomplete = warning.getByRole('checkbox', { name: record.record_close_actions_confirm });
		await expect(confirmIncomplete).toBeFocused();
		await confirmIncomplete.check();
		await panel.getByRole('button', { name: close.close_button }).click();
		const confirm = coordinatorPage.getByRole('button', { name: close.close_confirm });
		await expect(confirm).toBeFocused();
		await confirm.click();
		await expect(coordinatorPage.getByRole('heading', { name: close.close_closed_heading })).toBeFocused();
		await expect(coordinatorPage.getByRole('status').filter({ hasText: close.close_closed_status.replace('{version}', '1') })).toBeVisible();
	});

	await test.step('without a reload, the client’s editor is read-only and the closed notice is shown', async () => {
		await expect(clientEditor).not.toBeEditable();
		await expect(clientEditor).toHaveAttribute('aria-readonly', 'true');
		await expect(clientPage.getByRole('heading', { name: close.close_closed_heading })).toBeVisible();
		// Said once, politely, to a screen reader user too.
		await expect(clientPage.locator('[aria-live="polite"]', { hasText: close.close_closed_live })).toHaveCount(1);
		await expect(clientPage.getByRole('link', { name: close.close_open_summary })).toBeVisible();
	});

	await test.step('the summary shows the closed plan, and its exports answer', async () => {
		await coordinatorPage.getByRole('link', { name: close.close_open_summary }).click();
		await expect(coordinatorPage).toHaveURL(new RegExp(`/meetings/${meetingId}/summary$`));
		await expect(coordinatorPage.getByRole('heading', { level: 1 })).toHaveText('Verkostotapaaminen – Östersund');
		await expect(coordinatorPage.getByText('Palaan työhön osa-aikaisesti.').first()).toBeVisible();
		await expect(coordinatorPage.getByText('Haluan palata töihin.').first()).toBeVisible();
		const pdf = await coordinatorPage.request.get(`/api/meetings/${meetingId}/export.pdf`);
		expect(pdf.status()).toBe(200);
		expect(pdf.headers()['content-type']).toBe('application/pdf');
		expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
		const version = await coordinatorPage.request.get(`/api/meetings/${meetingId}/export.json`);
		expect(version.headers()['x-plan-version']).toBe('1');
		const ics = await clientPage.request.get(`/api/meetings/${meetingId}/export.ics`);
		expect(await ics.text()).toContain(`DTSTART;VALUE=DATE:${helsinkiDay(30).replaceAll('-', '')}`);
	});

	await coordinatorPage.context().close();
	await clientPage.context().close();
	for (const ctx of contexts) await ctx.dispose();
});
