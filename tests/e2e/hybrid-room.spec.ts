/**
 * The hybrid room as the people in it use it (issue #21), four devices at once: the coordinator's
 * laptop, the client's own phone (360 × 740, touch), a remote nurse, and the room's big screen
 * (1920 × 1080). A view-only Kela expert takes part without a device of their own.
 *
 * The screen shows the services written in the map phase and the goals written in the plan phase; the
 * nurse's raised hand reaches the coordinator's tab title and the nurse is told it is their turn; the
 * client's phone opens at the current phase with nothing to delete; the coordinator writes the expert's
 * perspective for them and the record says who wrote it for whom; and a network cut is shown within
 * three seconds and the change made meanwhile is confirmed after reconnecting.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { catalogs, editorText, expect, openRoom, syncStatus, test } from './fixtures';

// Four contexts on a dev server sharing two cores.
test.describe.configure({ timeout: 360_000 });

const fi = catalogs.fi;
const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? `{${key}}`);
const phaseName = (phase: string) => (fi as unknown as Record<string, string>)[`phase_${phase}`]!;

// Invented people and words (STYLE.md 9).
const coordinatorName = 'Aino Äijälä';
const clientName = 'Sanna Häkkinen';
const nurseName = 'Åsa Sjöström';
const kelaName = 'Jörgen Väätäinen';
const kelaWords = 'Kuntoutusrahaa voi hakea työkokeilun ajaksi; päätös tulee noin kolmessa viikossa.';
const serviceName = 'Työkokeilu, Närpiön puutyöpaja Sågen';
const goalWords = 'Sanna aloittaa työkokeilun neljä tuntia päivässä ennen joulua.';
const offlineWords = 'Verenpaine tarkistetaan ennen työkokeilun alkua.';

/** Every destructive control's name in the three languages. */
const destructive = /poista|ta bort|radera|delete|remove/i;

const phases = ['introductions', 'client_voice', 'perspectives', 'service_map', 'plan', 'responsible_worker', 'close'];

/** Moves the agenda forward, one step at a time with the coordinator's "next" button, to `phase` on every device. */
async function moveTo(desk: Page, phase: string, others: Page[]): Promise<void> {
	const room = desk.locator('.room[data-phase]');
	const from = phases.indexOf((await room.getAttribute('data-phase'))!);
	for (const next of phases.slice(from + 1, phases.indexOf(phase) + 1)) {
		await desk.getByRole('button', { name: fi.agenda_next }).click();
		await expect(room).toHaveAttribute('data-phase', next);
	}
	await expect(desk.getByRole('heading', { name: fill(fi.agenda_current, { phase: phaseName(phase) }) })).toBeVisible();
	for (const page of others) await expect(page.locator('[data-phase]').first()).toHaveAttribute('data-phase', phase);
}

test('coordinator, client phone, remote nurse and room screen work one meeting together', async ({ world }) => {
	const account = await world.account(coordinatorName);
	const meetingId = await world.meeting('Verkostotapaaminen – Sanna H.', account);
	const desk = await world.signedIn(account, { viewport: { width: 1280, height: 800 } });
	const nurse = await world.invite(desk, meetingId, { name: nurseName, role: 'nurse', organisation: 'Terveysasema Östersund', presence: 'remote' });
	const kela = await world.invite(desk, meetingId, { name: kelaName, role: 'kela', organisation: 'Kela', presence: 'room', access: 'view' });
	const client = await world.invite(desk, meetingId, { name: clientName, role: 'client' });
	const nurseContext = await world.guest(nurse.inviteUrl, nurseName);
	const clientContext: BrowserContext = await world.guest(client.inviteUrl, clientName, ['employment', 'kela'], {
		viewport: { width: 360, height: 740 },
		isMobile: true,
		hasTouch: true
	});
	const screenContext = await world.sameSession(desk, { viewport: { width: 1920, height: 1080 } });

	const coordinatorPage = await openRoom(desk, meetingId, 90_000);
	const nursePage = await openRoom(nurseContext, meetingId, 90_000);
	const screen = await screenContext.newPage();
	await screen.goto(`/meetings/${meetingId}/screen`);
	await expect(syncStatus(screen)).toHaveAttribute('data-state', 'connected', { timeout: 90_000 });

	await test.step('the coordinator writes the view-only Kela expert’s perspective, and the record says who wrote it for whom', async () => {
		await moveTo(coordinatorPage, 'perspectives', [nursePage, screen]);
		await coordinatorPage.locator('#tab-situation').click();
		await coordinatorPage.getByRole('button', { name: fill(fi.scribe_write_for, { name: kelaName }) }).click();
		const editor = coordinatorPage.locator(`[data-perspective="${kela.participantId}"] .cm-content`);
		await expect(editor).toBeFocused();
		await editor.pressSequentially(kelaWords, { delay: 5 });
		const writtenBy = fill(fi.scribe_written_by, { writer: coordinatorName, name: kelaName });
		await expect(coordinatorPage.locator(`[data-perspective="${kela.participantId}"] [data-written-for]`)).toHaveText(writtenBy);
		await expect(nursePage.locator(`[data-perspective="${kela.participantId}"] [data-written-for]`)).toHaveText(writtenBy);
		// The record: the plan as the server reads it, with the writer decided by the server.
		await expect
			.poll(async () => {
				const response = await desk.request.get(`/api/meetings/${meetingId}/plan`, { headers: { accept: 'application/json' } });
				const plan = (await response.json()) as { perspectives: Array<{ participantId: string; text: string; writtenBy?: Array<{ name: string }> }> };
				const theirs = plan.perspectives.find((p) => p.participantId === kela.participantId);
				return { text: theirs?.text, writers: theirs?.writtenBy?.map((w) => w.name) };
			})
			.toEqual({ text: kelaWords, writers: [coordinatorName] });
		// The room screen shows the perspective in this phase.
		await expect(screen.getByRole('region', { name: fi.screen_perspectives_heading, exact: true })).toContainText(kelaWords);
	});

	await test.step('the coordinator records the client’s work ability with them, and the room says who recorded it for whom', async () => {
		const widget = coordinatorPage.getByRole('region', { name: fi.workability_heading, exact: true });
		await widget.getByLabel('6', { exact: true }).check();
		await widget.getByRole('button', { name: fi.workability_submit }).click();
		const recordedBy = fill(fi.scribe_recorded_by, { recorder: coordinatorName, name: clientName });
		await expect(widget.locator('[data-recorded-by]')).toHaveText(recordedBy);
		await expect(nursePage.getByRole('region', { name: fi.workability_heading, exact: true }).locator('[data-recorded-by]')).toHaveText(recordedBy);
	});

	await test.step('the remote nurse’s hand reaches the coordinator’s tab title, and the nurse is told it is their turn', async () => {
		await expect(coordinatorPage).not.toHaveTitle(/^\(✋/);
		await nursePage.getByRole('button', { name: fi.hands_raise }).click();
		await expect(coordinatorPage).toHaveTitle(/^\(✋ 1\) /);
		await coordinatorPage.getByRole('button', { name: fill(fi.hands_give_turn, { name: nurseName }) }).first().click();
		await expect(nursePage.getByRole('status').filter({ hasText: fi.hands_your_turn })).toBeVisible();
		await expect(coordinatorPage).not.toHaveTitle(/^\(✋/);
	});

	await test.step('the screen shows the services written in the map phase', async () => {
		await moveTo(coordinatorPage, 'service_map', [nursePage, screen]);
		await expect(coordinatorPage.locator('#tab-map')).toHaveAttribute('aria-selected', 'true');
		await coordinatorPage.locator('#new-service-name').fill(serviceName);
		await coordinatorPage.getByRole('button', { name: fi.services_add_submit }).click();
		await expect(coordinatorPage.locator('#new-service-name')).toHaveValue('');
		await expect(screen.getByRole('region', { name: fi.screen_services_heading, exact: true })).toContainText(serviceName);
	});

	const phonePage = await test.step('the client’s phone opens at the current phase, with nothing to delete', async () => {
		const page = await clientContext.newPage();
		await page.goto(`/meetings/${meetingId}`);
		await expect(syncStatus(page)).toHaveAttribute('data-state', 'connected', { timeout: 90_000 });
		const now = page.getByRole('heading', { name: fill(fi.agenda_current, { phase: phaseName('service_map') }) });
		await expect(now).toBeInViewport();
		await expect(page.locator('[data-client-view]')).toHaveAttribute('data-part', 'map');
		await expect(page.getByRole('region', { name: fi.phone_map_heading, exact: true })).toContainText(serviceName);
		await expect(page.getByRole('button', { name: destructive })).toHaveCount(0);
		await expect(page.getByRole('link', { name: destructive })).toHaveCount(0);
		return page;
	});

	await test.step('the screen and the phone show the goals written in the plan phase', async () => {
		await moveTo(coordinatorPage, 'plan', [nursePage, screen, phonePage]);
		await expect(coordinatorPage.locator('#tab-plan')).toHaveAttribute('aria-selected', 'true');
		await coordinatorPage.getByRole('button', { name: fi.goals_add }).click();
		const goal = coordinatorPage.locator('li[data-goal] .cm-content');
		await expect(goal).toBeFocused();
		await coordinatorPage.keyboard.type(goalWords, { delay: 5 });
		await expect(screen.getByRole('region', { name: fi.screen_plan_heading, exact: true })).toContainText(goalWords);
		await expect(phonePage.locator('[data-client-view]')).toHaveAttribute('data-part', 'plan');
		await expect(phonePage.getByRole('region', { name: fi.phone_plan_heading, exact: true })).toContainText(goalWords);
		await expect(phonePage.getByRole('button', { name: destructive })).toHaveCount(0);
	});

	await test.step('a network cut shows on the nurse’s device within three seconds, and the change made meanwhile is confirmed after reconnecting', async () => {
		await nursePage.locator('#tab-situation').click();
		const own = nursePage.locator(`.perspective.own .cm-content`);
		await expect(own).toBeVisible();
		await nurseContext.setOffline(true);
		await expect(syncStatus(nursePage)).toHaveAttribute('data-state', 'offline', { timeout: 3_000 });
		await expect(syncStatus(nursePage)).toContainText(fi.sync_offline, { timeout: 3_000 });
		await own.click();
		await own.pressSequentially(offlineWords, { delay: 5 });
		await expect(syncStatus(nursePage)).toContainText(fi.phone_changes_kept_one);
		await nurseContext.setOffline(false);
		await expect(syncStatus(nursePage)).toHaveAttribute('data-state', 'connected', { timeout: 60_000 });
		await expect(nursePage.locator('[data-pending]')).toHaveAttribute('data-pending', '0');
		await expect(nursePage.locator('[data-pending]')).toContainText(fi.sync_all_saved);
		await coordinatorPage.locator('#tab-situation').click();
		await expect.poll(() => editorText(coordinatorPage.locator(`[data-perspective="${nurse.participantId}"] .cm-content`))).toBe(offlineWords);
	});
});
