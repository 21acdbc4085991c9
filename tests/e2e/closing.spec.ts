/**
 * Closing the meeting in the browser (issue #6): the coordinator sees what is missing with a link to
 * fix each item, closes behind a confirmation, and every other participant's editor turns read-only
 * live, without a reload. Then the summary page and its exports answer.
 *
 * Set up the way people do it: the account with the admin command line, signing in with the /login
 * form, participants through the API, the client joining with the invitation form (giving consent),
 * the plan's content written by a stock y-websocket client with the coordinator's session.
 */
import * as Y from 'yjs';
import { addAction, addGoal, addService } from '../../src/lib/meeting/index';
import { connectProvider, synced } from '../helpers/yjs-client';
import { editorUnder, expect, fiAll as fi, helsinkiDay, openRoom, sessionCookieOf, test } from './fixtures';

test('closing in the browser turns another participant’s editor read-only live', async ({ world }, testInfo) => {
	// Two browsers, the admin command line and the confirmation steps: more than a minute on a busy machine.
	test.slow();
	const baseURL = testInfo.project.use.baseURL!;

	const { meetingId, desk, clientContext } = await test.step('a coordinator prepares a meeting; the client joins with consent', async () => {
		const coordinator = await world.account('Aino Mäkelä');
		const meetingId = await world.meeting('Verkostotapaaminen – Östersund', coordinator);
		const desk = await world.signedIn(coordinator);
		const { inviteUrl } = await world.invite(desk, meetingId, { name: 'Sanna Häkkinen', role: 'client', presence: 'remote' });
		const clientContext = await world.guest(inviteUrl, 'Sanna Häkkinen', ['kela']);
		await world.invite(desk, meetingId, { name: 'Åsa Lindström', role: 'kela', organisation: 'Kela', presence: 'room' });
		expect((await desk.request.put(`/api/meetings/${meetingId}/phase`, { data: { phase: 'close' } })).status()).toBe(200);
		return { meetingId, desk, clientContext };
	});
	const coordinator = desk.request;

	const coordinatorPage = await openRoom(desk, meetingId);
	const clientPage = await openRoom(clientContext, meetingId);

	await test.step('the checklist says what is missing, and its link opens the section that fixes it', async () => {
		const panel = coordinatorPage.getByRole('region', { name: fi.close_heading });
		await expect(panel.locator('li[data-item="responsible_worker"]')).toHaveAttribute('data-state', 'missing');
		await expect(panel.locator('li[data-item="goal"]')).toHaveAttribute('data-state', 'missing');
		await expect(panel.locator('li[data-item="client_consent"]')).toHaveAttribute('data-state', 'done');
		// The scope the client chose is named (issue #19).
		await expect(panel.locator('li[data-item="client_consent"]')).toContainText(fi.record_close_consent_given.replace('{organisations}', 'Kela'));
		await panel.getByRole('link', { name: fi.close_fix_responsible }).click();
		await expect(coordinatorPage.locator('#tab-follow_up')).toHaveAttribute('aria-selected', 'true');
		await expect(coordinatorPage.locator('#tab-follow_up')).toBeFocused();
		// Closing now is refused with the reason, before anything is sent.
		await panel.getByRole('button', { name: fi.close_button }).click();
		await expect(panel.getByRole('alert')).toHaveText(fi.close_incomplete);
	});

	await test.step('the plan is written and the responsible worker named; the checklist follows live', async () => {
		const { doc, provider } = connectProvider(`${baseURL.replace(/^http/, 'ws')}/yjs`, meetingId, new Y.Doc(), { cookie: await sessionCookieOf(desk) });
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
		const panel = coordinatorPage.getByRole('region', { name: fi.close_heading });
		await expect(panel.locator('li[data-state="missing"]')).toHaveCount(0);
		await expect(panel.getByText(fi.close_ready)).toBeVisible();
		provider.destroy();
	});

	const clientEditor = editorUnder(clientPage, fi.meeting_client_voice_heading);
	await test.step('the client can write before closing', async () => {
		// The client's calm view (ClientView.svelte) keeps their words folded while the phase is the close.
		await clientPage.locator('summary[data-part="words"]').click();
		await expect(clientEditor).toBeEditable();
		await clientEditor.pressSequentially('Haluan palata töihin.', { delay: 5 });
		await expect(coordinatorPage.locator('[data-state="connected"]')).toBeVisible();
	});

	await test.step('the coordinator closes, after confirming the action without an owner and the closing', async () => {
		const panel = coordinatorPage.getByRole('region', { name: fi.close_heading });
		// The action has a due date but nobody owns it: the checklist says so and asks to confirm (issue #19).
		const warning = panel.getByRole('group', { name: fi.record_close_actions_heading });
		await expect(warning.getByRole('listitem')).toHaveText(
			`${fi.record_close_action_item.replace('{number}', '1').replace('{text}', 'Hakemus työkokeiluun.')} (${fi.record_missing_owner})`
		);
		await panel.getByRole('button', { name: fi.close_button }).click();
		await expect(panel.getByRole('alert')).toHaveText(fi.record_close_actions_confirm_first);
		const confirmIncomplete = warning.getByRole('checkbox', { name: fi.record_close_actions_confirm });
		await expect(confirmIncomplete).toBeFocused();
		await confirmIncomplete.check();
		await panel.getByRole('button', { name: fi.close_button }).click();
		const confirm = coordinatorPage.getByRole('button', { name: fi.close_confirm });
		await expect(confirm).toBeFocused();
		await confirm.click();
		await expect(coordinatorPage.getByRole('heading', { name: fi.close_closed_heading })).toBeFocused();
		await expect(coordinatorPage.getByRole('status').filter({ hasText: fi.close_closed_status.replace('{version}', '1') })).toBeVisible();
	});

	await test.step('without a reload, the client’s editor is read-only and the closed notice is shown', async () => {
		await expect(clientEditor).not.toBeEditable();
		await expect(clientEditor).toHaveAttribute('aria-readonly', 'true');
		await expect(clientPage.getByRole('heading', { name: fi.close_closed_heading })).toBeVisible();
		// Said once, politely, to a screen reader user too.
		await expect(clientPage.locator('[aria-live="polite"]', { hasText: fi.close_closed_live })).toHaveCount(1);
		await expect(clientPage.getByRole('link', { name: fi.close_open_summary })).toBeVisible();
	});

	await test.step('the summary shows the closed plan, and its exports answer', async () => {
		await coordinatorPage.getByRole('link', { name: fi.close_open_summary }).click();
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
});
