/**
 * Accounts, meetings and invitations in the browser (issue #3): a coordinator signs in, creates a
 * meeting and invites the client on the participants page; the client opens the personal link on a
 * phone in a second browser context, gives consent and joins; each sees the other present. A revoked
 * or unknown link shows a page that says what happened and what to do.
 *
 * (The first-run setup is first-run.spec.ts; it runs before this one in its own project.)
 */
import type { Page } from '@playwright/test';
import { catalogs, expect, password, phone, test } from './fixtures';

const fi = catalogs.fi;
const clientName = 'Sanna Häkkinen';

/** A participant's row in the room's roster. */
function rosterEntry(page: Page, name: string) {
	return page.getByRole('region', { name: fi.roster_heading }).getByRole('listitem').filter({ hasText: name });
}

test('a coordinator creates a meeting and invites the client, who joins on a phone with consent; both see each other present', async ({
	browser,
	world
}) => {
	const coordinator = await world.account('Aino Mäkelä');
	const desk = await (await browser.newContext()).newPage();

	await test.step('the coordinator signs in with the form', async () => {
		await desk.goto('/login');
		// Type only into the hydrated form: hydration resets fields typed into the server-rendered page.
		await desk.waitForLoadState('networkidle');
		await desk.getByLabel(fi.field_email, { exact: true }).fill(coordinator.email);
		await desk.getByLabel(fi.field_password, { exact: true }).fill(password);
		await desk.getByRole('button', { name: fi.login_submit }).click();
		await expect(desk.getByRole('heading', { level: 1 })).toHaveText(fi.home_my_meetings, { timeout: 30_000 });
	});

	const meetingId = await test.step('and creates a meeting', async () => {
		await desk.getByRole('link', { name: fi.home_new_meeting }).click();
		await desk.waitForLoadState('networkidle');
		await desk.getByLabel(fi.field_meeting_title, { exact: true }).fill('Sanna H. – ensimmäinen verkostotapaaminen');
		await desk.getByLabel(fi.field_place, { exact: true }).fill('Jyväskylän työkykypiste, neuvotteluhuone 2');
		await desk.getByRole('button', { name: fi.new_meeting_submit }).click();
		await expect(desk.getByRole('heading', { level: 1 })).toHaveText(fi.participants_heading);
		return /\/meetings\/([^/]+)\/participants/.exec(desk.url())![1]!;
	});

	const inviteUrl = await test.step('and adds the client on the participants page: a personal link and its QR code', async () => {
		const form = desk.getByRole('region', { name: fi.participants_add_heading });
		await form.getByLabel(fi.field_participant_name, { exact: true }).fill(clientName);
		await form.getByLabel(fi.field_role, { exact: true }).selectOption({ label: fi.role_client });
		await form.getByRole('button', { name: fi.participants_add_submit }).click();
		const invite = desk.getByRole('region', { name: fi.invite_heading.replace('{name}', clientName) });
		await expect(invite).toBeVisible();
		await expect(invite.getByRole('img', { name: fi.invite_qr_alt.replace('{name}', clientName) })).toBeVisible();
		const url = await invite.getByLabel(fi.invite_link_label).inputValue();
		expect(url).toMatch(/\/join\/[A-Za-z0-9_-]{22,}$/);
		return url;
	});

	const phoneContext = await browser.newContext(phone);
	const client = await phoneContext.newPage();
	await test.step('the client opens the link on a phone, reads what is recorded, gives consent and joins', async () => {
		await client.goto(inviteUrl);
		await client.waitForLoadState('networkidle');
		await expect(client.getByRole('heading', { level: 1 })).toHaveText(fi.join_title);
		await expect(client.getByRole('heading', { name: fi.join_client_recorded_heading })).toBeVisible();
		await expect(client.getByLabel(fi.field_display_name, { exact: true })).toHaveValue(clientName);
		const consent = client.getByRole('group', { name: fi.join_consent_legend });
		await consent.getByLabel(fi.consent_org_kela, { exact: true }).check();
		await consent.getByLabel(fi.consent_org_employment, { exact: true }).check();
		await client.getByRole('button', { name: fi.join_submit }).click();
		await expect(client).toHaveURL(new RegExp(`/meetings/${meetingId}$`));
		await expect(client.getByRole('status').filter({ hasText: fi.sync_connected })).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
		// The client's view is large and simple by default; the roster is one switch away.
		await client.getByLabel(fi.room_text_size).uncheck();
	});

	await test.step('the coordinator opens the room; each sees the other present', async () => {
		await desk.getByRole('link', { name: fi.participants_open_room }).click();
		await expect(desk.getByRole('status').filter({ hasText: fi.sync_connected })).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
		await expect(rosterEntry(desk, clientName)).toHaveAttribute('data-online', 'true');
		await expect(rosterEntry(desk, clientName)).toContainText(fi.roster_online);
		await expect(rosterEntry(client, coordinator.name)).toHaveAttribute('data-online', 'true');
		await expect(rosterEntry(client, coordinator.name)).toContainText(fi.roster_online);
	});

	await test.step('the client closes the phone; the coordinator sees them gone', async () => {
		await phoneContext.close();
		await expect(rosterEntry(desk, clientName)).toHaveAttribute('data-online', 'false');
		await expect(rosterEntry(desk, clientName)).toContainText(fi.roster_offline);
	});

	await test.step('the consent was recorded: the audit trail shows the join', async () => {
		await desk.goto(`/meetings/${meetingId}/audit`);
		await expect(desk.getByRole('main')).toContainText(clientName);
	});
	await desk.context().close();
});

test('a revoked or unknown invitation link shows a page that says what happened and what to do', async ({ browser, world }) => {
	const coordinator = await world.account('Mikael Lindqvist');
	const meetingId = await world.meeting('Nätverksmöte – Åsa L.', coordinator);
	const desk = await world.signedIn(coordinator);
	const { inviteUrl } = await world.invite(desk, meetingId, { name: 'Jorma Kettunen', role: 'kela', presence: 'remote' });

	await test.step('the coordinator revokes the participant behind a confirmation', async () => {
		const page = await desk.newPage();
		await page.goto(`/meetings/${meetingId}/participants`);
		await page.getByText(fi.participants_revoke_for.replace('{name}', 'Jorma Kettunen')).click();
		await page.getByRole('button', { name: fi.participants_revoke_confirm }).click();
		await expect(page.getByRole('status').filter({ hasText: fi.participants_revoked_done.replace('{name}', 'Jorma Kettunen') })).toBeVisible();
	});

	const phoneContext = await browser.newContext(phone);
	const guest = await phoneContext.newPage();
	await test.step('the revoked link', async () => {
		const response = await guest.goto(inviteUrl);
		expect(response?.status()).toBe(403);
		await expect(guest.getByRole('heading', { level: 1 })).toHaveText(fi.join_refused_heading);
		await expect(guest.getByText(fi.join_refused_revoked)).toBeVisible();
		await expect(guest.getByText(fi.join_refused_help)).toBeVisible();
		await expect(guest.getByRole('button', { name: fi.join_submit })).toHaveCount(0);
	});
	await test.step('a link that never existed', async () => {
		const response = await guest.goto(`/join/${'x'.repeat(43)}`);
		expect(response?.status()).toBe(404);
		await expect(guest.getByRole('heading', { level: 1 })).toHaveText(fi.join_refused_heading);
		await expect(guest.getByText(fi.join_refused_unknown)).toBeVisible();
	});
	await phoneContext.close();
});
