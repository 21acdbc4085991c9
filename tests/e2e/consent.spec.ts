/**
 * Consent means what the client chose (issue #19). A client who ticks no box has answered "not
 * shared": the coordinator's checklist says so in words, never with a tick; the client changes the
 * scope in the room until closing and the checklist follows live; the API refuses to close over
 * actions without an owner or a due date unless the coordinator confirms, and refuses a new scope
 * after closing; the summary says "not shared" and makes no excerpts.
 */
import { readFileSync } from 'node:fs';
import { request as http, type APIRequestContext, type Browser, type BrowserContext, type Page } from '@playwright/test';
import * as Y from 'yjs';
import { addAction, addGoal } from '../../src/lib/meeting/index';
import { connectProvider, synced } from '../helpers/yjs-client';
import { admin, expect, fi, helsinkiDay, password, test } from './fixtures';

const close = JSON.parse(readFileSync(new URL('../../messages/close/fi.json', import.meta.url), 'utf8')) as typeof import('../../messages/close/fi.json');
const record = JSON.parse(readFileSync(new URL('../../messages/record/fi.json', import.meta.url), 'utf8')) as typeof import('../../messages/record/fi.json');

async function sessionCookie(ctx: APIRequestContext): Promise<{ name: string; value: string }> {
	const cookie = (await ctx.storageState()).cookies.find((c) => c.name === 'verkosto_session');
	if (!cookie) throw new Error('no session cookie');
	return { name: cookie.name, value: cookie.value };
}

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

test('consent to share with no organisation reads "not shared" everywhere, and changes until closing', async ({ browser, dataDir }, testInfo) => {
	// Two browsers, the admin command line and a close: more than the default minute on a busy machine.
	test.slow();
	const baseURL = testInfo.project.use.baseURL!;
	const run = `${testInfo.project.name}.${Date.now()}`;
	const contexts: APIRequestContext[] = [];
	const requestContext = async () => {
		const created = await http.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
		contexts.push(created);
		return created;
	};

	const { meetingId, coordinator, client } = await test.step('the client joins and ticks no organisation', async () => {
		const email = `aino.consent.${run}@example.fi`;
		await admin(['user', 'add', '--email', email, '--name', 'Aino Mäkelä', '--role', 'coordinator'], dataDir, `${password}\n`);
		const coordinator = await requestContext();
		expect((await coordinator.post('/login', { form: { email, password }, headers: { accept: 'text/html' }, maxRedirects: 0 })).status()).toBe(303);
		const meetingId = await admin(['meeting', 'create', '--title', 'Verkostotapaaminen – Åsa Sjöström', '--coordinator', email], dataDir);
		const added = await coordinator.post(`/api/meetings/${meetingId}/participants`, {
			data: { name: 'Åsa Sjöström', role: 'client', presence: 'remote', access: 'edit' }
		});
		expect(added.status()).toBe(201);
		const { inviteUrl } = (await added.json()) as { inviteUrl: string };
		const client = await requestContext();
		const joined = await client.post(new URL(inviteUrl).pathname, { form: { name: 'Åsa Sjöström' }, headers: { accept: 'text/html' }, maxRedirects: 0 });
		expect(joined.status()).toBe(303);
		const kela = await coordinator.post(`/api/meetings/${meetingId}/participants`, {
			data: { name: 'Päivi Äijälä', role: 'kela', organisation: 'Kela', presence: 'room', access: 'edit' }
		});
		expect(kela.status()).toBe(201);
		expect((await coordinator.put(`/api/meetings/${meetingId}/phase`, { data: { phase: 'close' } })).status()).toBe(200);
		return { meetingId, coordinator, client };
	});

	const coordinatorPage = await openRoom(await browserAs(browser, coordinator, baseURL), meetingId);
	const clientPage = await openRoom(await browserAs(browser, client, baseURL), meetingId);
	const consentItem = coordinatorPage.getByRole('region', { name: close.close_heading }).locator('li[data-item="client_consent"]');

	await test.step('the checklist says "not shared" in words, without a tick', async () => {
		await expect(consentItem).toHaveAttribute('data-state', 'not_shared');
		await expect(consentItem).toContainText(`${record.record_close_state_not_shared} ${record.record_close_consent_none}`);
		await expect(consentItem).not.toContainText('✓');
		const checklist = (await (await coordinator.get(`/api/meetings/${meetingId}/close`)).json()) as { missing: string[]; consent: { organisations: string[] } };
		expect(checklist.missing).not.toContain('client_consent');
		expect(checklist.consent.organisations).toEqual([]);
	});

	await test.step('the client changes the scope in the room; the checklist follows live', async () => {
		await clientPage.locator('#tab-follow_up').click();
		const panel = clientPage.getByRole('region', { name: record.record_consent_heading });
		await expect(panel).toContainText(record.record_consent_now.replace('{scope}', record.record_not_shared));
		await panel.getByRole('checkbox', { name: fi.consent_org_kela, exact: true }).check();
		await panel.getByRole('button', { name: record.record_consent_save }).click();
		await expect(panel.getByRole('status')).toHaveText(record.record_consent_saved.replace('{scope}', fi.consent_org_kela));
		await expect(consentItem).toHaveAttribute('data-state', 'done');
		await expect(consentItem).toContainText(record.record_close_consent_given.replace('{organisations}', fi.consent_org_kela));

		await panel.getByRole('checkbox', { name: fi.consent_org_kela, exact: true }).uncheck();
		await panel.getByRole('button', { name: record.record_consent_save }).click();
		await expect(consentItem).toHaveAttribute('data-state', 'not_shared');
	});

	await test.step('closing over an action without owner or due date needs the confirmation', async () => {
		const { name, value } = await sessionCookie(coordinator);
		const { doc, provider } = connectProvider(`${baseURL.replace(/^http/, 'ws')}/yjs`, meetingId, new Y.Doc(), { cookie: `${name}=${value}` });
		await synced(provider);
		const goal = addGoal(doc, { text: 'Löydän työkokeilupaikan Östersundista.', area: 'work' });
		addAction(doc, { text: 'Selvitetään työkokeilupaikat.', goalId: goal });
		const participants = (await (await coordinator.get(`/api/meetings/${meetingId}`)).json()) as { participants: Array<{ id: string; role: string }> };
		const kela = participants.participants.find((p) => p.role === 'kela')!;
		const named = await coordinator.put(`/api/meetings/${meetingId}/responsible`, {
			data: { participantId: kela.id, followUpDate: helsinkiDay(30), followUpMode: 'call', contact: '020 634 0000' }
		});
		expect(named.status()).toBe(200);
		await expect(coordinatorPage.getByRole('group', { name: record.record_close_actions_heading })).toContainText(
			`${record.record_missing_owner}, ${record.record_missing_due}`
		);

		// An older client that sends no body is refused with what to confirm, and nothing closes.
		await expect.poll(async () => ((await (await coordinator.get(`/api/meetings/${meetingId}/close`)).json()) as { missing: string[] }).missing).toEqual([]);
		const refused = await coordinator.post(`/api/meetings/${meetingId}/close`);
		expect(refused.status()).toBe(409);
		const body = (await refused.json()) as { error: { code: string }; incompleteActions: Array<{ number: number; missing: string[] }> };
		expect(body.error.code).toBe('conflict');
		expect(body.incompleteActions.map((a) => [a.number, a.missing])).toEqual([[1, ['owner', 'due']]]);
		expect((await coordinator.post(`/api/meetings/${meetingId}/close`, { data: { confirmIncompleteActions: 'yes' } })).status()).toBe(400);

		const closed = await coordinator.post(`/api/meetings/${meetingId}/close`, { data: { confirmIncompleteActions: true } });
		expect(closed.status()).toBe(200);
		provider.destroy();
	});

	await test.step('after closing the scope no longer changes', async () => {
		const late = await client.put(`/api/meetings/${meetingId}/consent`, { data: { organisations: ['kela'] } });
		expect(late.status()).toBe(409);
		const bad = await coordinator.put(`/api/meetings/${meetingId}/consent`, { data: { organisations: ['verottaja'] } });
		expect(bad.status()).toBe(400);
	});

	await test.step('the summary says "not shared" and makes no excerpts', async () => {
		await coordinatorPage.goto(`/meetings/${meetingId}/summary`);
		const consent = coordinatorPage.getByRole('region', { name: record.record_consent_heading });
		await expect(consent).toContainText(record.record_consent_none);
		await expect(coordinatorPage.getByText(record.record_excerpts_none)).toBeVisible();
		await expect(coordinatorPage.getByRole('region', { name: record.record_work_ability_heading })).toContainText(record.record_work_ability_none);
	});

	await coordinatorPage.context().close();
	await clientPage.context().close();
	for (const ctx of contexts) await ctx.dispose();
});
