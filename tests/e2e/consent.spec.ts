/**
 * Consent means what the client chose (issue #19). A client who ticks no box has answered "not
 * shared": the coordinator's checklist says so in words, never with a tick; the client changes the
 * scope in the room until closing and the checklist follows live; the API refuses to close over
 * actions without an owner or a due date unless the coordinator confirms, and refuses a new scope
 * after closing; the summary says "not shared" and makes no excerpts.
 */
import * as Y from 'yjs';
import { addAction, addGoal } from '../../src/lib/meeting/index';
import { connectProvider, synced } from '../helpers/yjs-client';
import { expect, fiAll as fi, helsinkiDay, openRoom, sessionCookieOf, test } from './fixtures';

test('consent to share with no organisation reads "not shared" everywhere, and changes until closing', async ({ world }, testInfo) => {
	// Two browsers, the admin command line and a close: more than the default minute on a busy machine.
	test.slow();
	const baseURL = testInfo.project.use.baseURL!;

	const { meetingId, desk, clientContext } = await test.step('the client joins and ticks no organisation', async () => {
		const coordinator = await world.account('Aino Mäkelä');
		const meetingId = await world.meeting('Verkostotapaaminen – Åsa Sjöström', coordinator);
		const desk = await world.signedIn(coordinator);
		const { inviteUrl } = await world.invite(desk, meetingId, { name: 'Åsa Sjöström', role: 'client', presence: 'remote' });
		const clientContext = await world.guest(inviteUrl, 'Åsa Sjöström');
		await world.invite(desk, meetingId, { name: 'Päivi Äijälä', role: 'kela', organisation: 'Kela', presence: 'room' });
		expect((await desk.request.put(`/api/meetings/${meetingId}/phase`, { data: { phase: 'close' } })).status()).toBe(200);
		return { meetingId, desk, clientContext };
	});
	const coordinator = desk.request;
	const client = clientContext.request;

	const coordinatorPage = await openRoom(desk, meetingId);
	const clientPage = await openRoom(clientContext, meetingId);
	const consentItem = coordinatorPage.getByRole('region', { name: fi.close_heading }).locator('li[data-item="client_consent"]');

	await test.step('the checklist says "not shared" in words, without a tick', async () => {
		await expect(consentItem).toHaveAttribute('data-state', 'not_shared');
		await expect(consentItem).toContainText(`${fi.record_close_state_not_shared} ${fi.record_close_consent_none}`);
		await expect(consentItem).not.toContainText('✓');
		const checklist = (await (await coordinator.get(`/api/meetings/${meetingId}/close`)).json()) as { missing: string[]; consent: { organisations: string[] } };
		expect(checklist.missing).not.toContain('client_consent');
		expect(checklist.consent.organisations).toEqual([]);
	});

	await test.step('the client changes the scope in the room; the checklist follows live', async () => {
		// The client's calm view (ClientView.svelte) keeps the follow-up folded while the phase is the close.
		await clientPage.locator('summary[data-part="follow_up"]').click();
		const panel = clientPage.getByRole('region', { name: fi.record_consent_heading });
		await expect(panel).toContainText(fi.record_consent_now.replace('{scope}', fi.record_not_shared));
		await panel.getByRole('checkbox', { name: fi.consent_org_kela, exact: true }).check();
		await panel.getByRole('button', { name: fi.record_consent_save }).click();
		await expect(panel.getByRole('status')).toHaveText(fi.record_consent_saved.replace('{scope}', fi.consent_org_kela));
		await expect(consentItem).toHaveAttribute('data-state', 'done');
		await expect(consentItem).toContainText(fi.record_close_consent_given.replace('{organisations}', fi.consent_org_kela));

		await panel.getByRole('checkbox', { name: fi.consent_org_kela, exact: true }).uncheck();
		await panel.getByRole('button', { name: fi.record_consent_save }).click();
		await expect(consentItem).toHaveAttribute('data-state', 'not_shared');
	});

	await test.step('closing over an action without owner or due date needs the confirmation', async () => {
		const { doc, provider } = connectProvider(`${baseURL.replace(/^http/, 'ws')}/yjs`, meetingId, new Y.Doc(), { cookie: await sessionCookieOf(desk) });
		await synced(provider);
		const goal = addGoal(doc, { text: 'Löydän työkokeilupaikan Östersundista.', area: 'work' });
		addAction(doc, { text: 'Selvitetään työkokeilupaikat.', goalId: goal });
		const participants = (await (await coordinator.get(`/api/meetings/${meetingId}`)).json()) as { participants: Array<{ id: string; role: string }> };
		const kela = participants.participants.find((p) => p.role === 'kela')!;
		const named = await coordinator.put(`/api/meetings/${meetingId}/responsible`, {
			data: { participantId: kela.id, followUpDate: helsinkiDay(30), followUpMode: 'call', contact: '020 634 0000' }
		});
		expect(named.status()).toBe(200);
		await expect(coordinatorPage.getByRole('group', { name: fi.record_close_actions_heading })).toContainText(
			`${fi.record_missing_owner}, ${fi.record_missing_due}`
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
		const consent = coordinatorPage.getByRole('region', { name: fi.record_consent_heading });
		await expect(consent).toContainText(fi.record_consent_none);
		await expect(coordinatorPage.getByText(fi.record_excerpts_none)).toBeVisible();
		await expect(coordinatorPage.getByRole('region', { name: fi.record_work_ability_heading })).toContainText(fi.record_work_ability_none);
	});
});
