/**
 * The scribe and hands no one misses (issue #21 items 2 and 4), in real browsers against the real
 * server: the coordinator writes a perspective for a view-only Kela expert, and the room, the
 * nurse's view and the closed plan's summary say "written by … for …" (the server decided it from
 * who wrote); a remote nurse's raised hand shows in the coordinator's tab title and sticky queue,
 * the nurse sees "Your turn" when given it, and closing the meeting clears hands and the turn.
 */
import * as Y from 'yjs';
import { addGoal } from '../../src/lib/meeting/index';
import { connectProvider, synced } from '../helpers/yjs-client';
import { catalogs, expect, expectAccessible, helsinkiDay, openRoom, sessionCookieOf, test } from './fixtures';

const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? `{${key}}`);
const fi = catalogs.fi;

const coordinatorName = 'Aino Mäkelä';
const kelaName = 'Åsa Lindström';
const nurseName = 'Päivi Öhman';
const clientName = 'Sanna Häkkinen';
const written = 'Kelan näkökulma: kuntoutustuki ensin, sitten työkokeilu.';

test('the coordinator writes for a view-only expert; a remote hand reaches the title; closing clears hands and turn', async ({ world }, testInfo) => {
	test.slow();
	const baseURL = testInfo.project.use.baseURL!;
	const coordinator = await world.account(coordinatorName);
	const meetingId = await world.meeting('Verkostotapaaminen – Sjöström', coordinator);
	const desk = await world.signedIn(coordinator);
	const client = await world.invite(desk, meetingId, { name: clientName, role: 'client', presence: 'room' });
	await world.guest(client.inviteUrl, clientName, ['kela']);
	const kela = await world.invite(desk, meetingId, { name: kelaName, role: 'kela', organisation: 'Kela', presence: 'remote', access: 'view' });
	const nurse = await world.invite(desk, meetingId, { name: nurseName, role: 'nurse', organisation: 'Terveysasema', presence: 'remote' });
	const nurseContext = await world.guest(nurse.inviteUrl, nurseName);

	const coordinatorPage = await openRoom(desk, meetingId, 90_000);
	const nursePage = await openRoom(nurseContext, meetingId, 90_000);
	const writtenBy = fill(fi.scribe_written_by, { writer: coordinatorName, name: kelaName });

	await test.step('the coordinator writes the Kela expert’s perspective for them', async () => {
		await coordinatorPage.locator('#tab-situation').click();
		// The nurse may not write for others: no such button on their page.
		await nursePage.locator('#tab-situation').click();
		await expect(nursePage.getByRole('button', { name: fill(fi.scribe_write_for, { name: kelaName }) })).toHaveCount(0);
		await coordinatorPage.getByRole('button', { name: fill(fi.scribe_write_for, { name: kelaName }) }).click();
		const editor = coordinatorPage.locator(`[data-perspective="${kela.participantId}"] .cm-content`);
		await expect(editor).toBeFocused();
		await editor.pressSequentially(written, { delay: 5 });
		await expect(coordinatorPage.locator(`[data-perspective="${kela.participantId}"] [data-written-for]`)).toHaveText(writtenBy);
		await expectAccessible(coordinatorPage, 'room, writing for a view-only expert');
	});

	await test.step('the nurse’s room says who wrote it for whom', async () => {
		const theirs = nursePage.locator(`[data-perspective="${kela.participantId}"]`);
		await expect(theirs.locator('[data-written-for]')).toHaveText(writtenBy);
		await expect(theirs.locator('.cm-content')).toContainText(written);
	});

	await test.step('a remote nurse’s hand shows in the coordinator’s tab title and sticky queue', async () => {
		await expect(coordinatorPage).not.toHaveTitle(/^\(✋/);
		await nursePage.getByRole('button', { name: fi.hands_raise }).click();
		await expect(coordinatorPage).toHaveTitle(/^\(✋ 1\) /);
		// The nurse cannot give the turn: no prefix for them.
		await expect(nursePage).not.toHaveTitle(/^\(✋/);
		await coordinatorPage.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
		const bar = coordinatorPage.getByRole('region', { name: fi.hands_compact_label });
		await expect(bar).toBeInViewport();
		await expect(bar).toContainText(nurseName);
		await expectAccessible(coordinatorPage, 'room, a raised hand in the sticky queue');
	});

	await test.step('the coordinator gives the turn; the nurse sees “Your turn”', async () => {
		await coordinatorPage.getByRole('button', { name: fill(fi.hands_give_turn, { name: nurseName }) }).click();
		await expect(nursePage.getByRole('status').filter({ hasText: fi.hands_your_turn })).toBeVisible();
		await expect(coordinatorPage).not.toHaveTitle(/^\(✋/);
		await nursePage.getByRole('button', { name: fi.hands_raise }).click();
		await expect(coordinatorPage).toHaveTitle(/^\(✋ 1\) /);
	});

	await test.step('closing the meeting clears the hands and the turn', async () => {
		const { doc, provider } = connectProvider(`${baseURL.replace(/^http/, 'ws')}/yjs`, meetingId, new Y.Doc(), { cookie: await sessionCookieOf(desk) });
		await synced(provider);
		addGoal(doc, { text: 'Palaan työhön osa-aikaisesti.', area: 'work' });
		const named = await desk.request.put(`/api/meetings/${meetingId}/responsible`, {
			data: { participantId: nurse.participantId, followUpDate: helsinkiDay(30), followUpMode: 'call', contact: '040 123 4567' }
		});
		expect(named.status()).toBe(200);
		await expect
			.poll(async () => ((await (await desk.request.get(`/api/meetings/${meetingId}/close`)).json()) as { missing: string[] }).missing)
			.toEqual([]);
		provider.destroy();
		const closed = await desk.request.post(`/api/meetings/${meetingId}/close`, { data: {} });
		expect(closed.status(), await closed.text()).toBe(200);
		await expect(coordinatorPage).not.toHaveTitle(/^\(✋/);
		await expect(nursePage.getByRole('status').filter({ hasText: fi.hands_your_turn })).toHaveCount(0);
		const meeting = (await (await desk.request.get(`/api/meetings/${meetingId}`)).json()) as { room?: { hands: unknown[]; speakerId: string | null } };
		if (meeting.room) expect(meeting.room).toMatchObject({ hands: [], speakerId: null });
	});

	await test.step('the closed plan’s summary says “written by … for …”', async () => {
		await coordinatorPage.goto(`/meetings/${meetingId}/summary`);
		await expect(coordinatorPage.locator(`[data-perspective="${kela.participantId}"] [data-written-for]`)).toHaveText(writtenBy);
		const text = await (await desk.request.get(`/api/meetings/${meetingId}/export.plain.txt`)).text();
		expect(text).toContain(writtenBy);
		const version = (await (await desk.request.get(`/api/meetings/${meetingId}/export.json`)).json()) as {
			plan?: { perspectives: Array<{ participantId: string; writtenBy?: unknown }> };
		};
		const plan = version.plan ?? (version as unknown as { perspectives: Array<{ participantId: string; writtenBy?: unknown }> });
		expect(plan.perspectives.find((p) => p.participantId === kela.participantId)?.writtenBy).toEqual([
			{ participantId: expect.any(String), name: coordinatorName }
		]);
		await expectAccessible(coordinatorPage, 'summary with a perspective written for someone');
	});
});

test('the coordinator names a scribe and keeps every invitation link; both pages pass axe in fi, sv and en', async ({ world }) => {
	test.slow();
	const coordinator = await world.account('Aino Äijälä');
	const meetingId = await world.meeting('Verkostotapaaminen – Åström', coordinator);
	const desk = await world.signedIn(coordinator);
	await world.invite(desk, meetingId, { name: kelaName, role: 'kela', organisation: 'Kela', presence: 'remote', access: 'view' });
	const nurse = await world.invite(desk, meetingId, { name: nurseName, role: 'nurse', organisation: 'Terveysasema', presence: 'remote' });
	const page = await desk.newPage();
	await page.goto(`/meetings/${meetingId}/participants`);

	await test.step('a new link keeps the first one: both are listed, each with its own revoke', async () => {
		await page.getByRole('button', { name: catalogs.fi.participants_reissue_for.replace('{name}', nurseName) }).click();
		const links = page.locator(`[data-invites="${nurse.participantId}"]`);
		await expect(links.getByRole('heading', { name: fill(fi.scribe_invites_heading, { count: '2' }) })).toBeVisible();
		await expect(links.locator('li[data-invite]')).toHaveCount(2);
		await expect(links.getByText(fill(fi.scribe_invite_revoke, { number: '1', name: nurseName }), { exact: true })).toBeVisible();
	});

	await test.step('the coordinator names the nurse scribe; the nurse’s room offers “Write for” the Kela expert', async () => {
		await page.getByRole('button', { name: fill(fi.scribe_make, { name: nurseName }) }).click();
		await expect(page.getByRole('button', { name: fill(fi.scribe_unmake, { name: nurseName }) })).toBeVisible();
		await expect(page.locator('[data-scribe]')).toHaveText(fi.scribe_badge);
		// A view-only participant cannot be a scribe: no button for them.
		await expect(page.getByRole('button', { name: fill(fi.scribe_make, { name: kelaName }) })).toHaveCount(0);
		const nurseContext = await world.guest(nurse.inviteUrl, nurseName);
		const room = await openRoom(nurseContext, meetingId, 90_000);
		await room.locator('#tab-situation').click();
		await expect(room.getByRole('button', { name: fill(fi.scribe_write_for, { name: kelaName }) })).toBeVisible();
	});

	for (const locale of ['fi', 'sv', 'en'] as const) {
		await test.step(`axe: the participants page and the room in ${locale}`, async () => {
			const context = await world.sameSession(desk, { language: locale });
			const people = await context.newPage();
			await people.goto(`/meetings/${meetingId}/participants`);
			await expect(people.getByRole('button', { name: fill(catalogs[locale].scribe_unmake, { name: nurseName }) })).toBeVisible();
			await expectAccessible(people, `participants page with two links and a scribe (${locale})`);
			const room = await openRoom(context, meetingId, 90_000);
			await room.locator('#tab-situation').click();
			await expect(room.getByRole('button', { name: fill(catalogs[locale].scribe_write_for, { name: kelaName }) })).toBeVisible();
			await expectAccessible(room, `room with “Write for” (${locale})`);
		});
	}
});
