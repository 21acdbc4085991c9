/**
 * Writing goals for someone (issue #21 item 2), in real browsers against the real server: the
 * coordinator picks "Write new goals for" the client, adds a goal, and the coordinator's and the
 * nurse's rooms say "Written by … for …" with it (the server decided it from who created the goal);
 * the nurse, who may not write for others, has no such choice.
 */
import { catalogs, expect, expectAccessible, openRoom, test } from './fixtures';

const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? `{${key}}`);
const fi = catalogs.fi;

const coordinatorName = 'Aino Mäkelä';
const nurseName = 'Päivi Öhman';
const clientName = 'Sanna Häkkinen';

test('the coordinator writes a goal for the client; both rooms say who wrote it for whom', async ({ world }) => {
	test.slow();
	const coordinator = await world.account(coordinatorName);
	const meetingId = await world.meeting('Tavoitteet – Sjöström', coordinator);
	const desk = await world.signedIn(coordinator);
	const client = await world.invite(desk, meetingId, { name: clientName, role: 'client', presence: 'room' });
	const nurse = await world.invite(desk, meetingId, { name: nurseName, role: 'nurse', organisation: 'Terveysasema', presence: 'remote' });
	const nurseContext = await world.guest(nurse.inviteUrl, nurseName);

	const coordinatorPage = await openRoom(desk, meetingId, 90_000);
	const nursePage = await openRoom(nurseContext, meetingId, 90_000);
	await coordinatorPage.locator('#tab-plan').click();
	await nursePage.locator('#tab-plan').click();
	// The nurse may not write for others: no such choice on their page.
	await expect(nursePage.getByLabel(fi.scribe_goals_write_for)).toHaveCount(0);

	await coordinatorPage.getByLabel(fi.scribe_goals_write_for).selectOption({ label: clientName });
	await expect(coordinatorPage.getByRole('status').filter({ hasText: fill(fi.scribe_goals_writing_for, { name: clientName }) })).toBeVisible();
	await coordinatorPage.locator('[data-add-goal]').click();

	const writtenBy = fill(fi.scribe_written_by, { writer: coordinatorName, name: clientName });
	await expect(coordinatorPage.locator(`[data-goal] [data-written-for="${client.participantId}"]`)).toHaveText(writtenBy);
	await expect(nursePage.locator(`[data-goal] [data-written-for="${client.participantId}"]`)).toHaveText(writtenBy);
	await expectAccessible(coordinatorPage, 'plan, writing goals for the client');
});
