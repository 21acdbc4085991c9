/**
 * Forms without JavaScript (issue 22, item 7): every form is a plain HTML form post, and `use:enhance`
 * only improves it. This spec runs in the `nojs-dev` and `nojs-prod` projects (playwright.config.ts),
 * whose browsers run no script at all, each against a server of its own with an empty database: the
 * first coordinator sets up, signs out and in again, creates a meeting, adds a guest and a
 * professional (whose account the coordinator made on the accounts page), gives the guest a new
 * link, and the guest joins by the invitation in a second browser. Each form's errors come
 * back from the server in the reader's language. The live meeting itself needs JavaScript, and its
 * page says so.
 */
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { catalogs, expect, password, test } from './fixtures';

const fi = catalogs.fi;
const scribe = JSON.parse(readFileSync(new URL('../../messages/scribe/fi.json', import.meta.url), 'utf8')) as typeof import('../../messages/scribe/fi.json');
const sv = catalogs.sv;
const coordinatorName = 'Kaisa Östman-Järvinen';
const guestName = 'Åsa Sjöström';
const meetingTitle = 'Åsa S. – ensimmäinen verkostotapaaminen';
const nurseName = 'Outi Pöysti';

/** The page's form error summary (an alert) and the field it names, marked invalid. */
async function expectRefused(page: Page, label: string, text: string) {
	await expect(page.getByRole('alert')).toBeVisible();
	await expect(page.getByLabel(label, { exact: true })).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByText(text, { exact: true }).first()).toBeVisible();
}

test('without JavaScript: set up, sign out and in, create a meeting, add participants, join by invitation', async ({ world }, testInfo) => {
	expect(testInfo.project.use.javaScriptEnabled, 'this spec runs only in the nojs-* projects').toBe(false);
	// The dev server compiles each page on its first visit; argon2id hashes three passwords.
	test.setTimeout(180_000);
	const email = `koordinaattori.${testInfo.project.name}@example.fi`;
	const nurseEmail = `outi.poysti.${testInfo.project.name}@example.fi`;
	const desk = await (await world.anonymous()).newPage();

	await test.step('the first-run setup refuses an empty form with the errors, then creates the coordinator', async () => {
		await desk.goto('/');
		await expect(desk).toHaveURL(/\/setup$/);
		await desk.getByRole('button', { name: fi.setup_submit }).click();
		await expectRefused(desk, fi.field_email, fi.field_error_required);
		await expect(desk).toHaveTitle(new RegExp(`^${fi.form_error_title}: `));

		await desk.getByLabel(fi.field_email, { exact: true }).fill(email);
		await desk.getByLabel(fi.field_name, { exact: true }).fill(coordinatorName);
		await desk.getByLabel(fi.field_password, { exact: true }).fill(password);
		await desk.getByLabel(fi.field_password_confirm, { exact: true }).fill(`${password}-toinen`);
		await desk.getByRole('button', { name: fi.setup_submit }).click();
		await expectRefused(desk, fi.field_password_confirm, fi.field_error_password_mismatch);
		// What was typed comes back, the passwords never do.
		await expect(desk.getByLabel(fi.field_email, { exact: true })).toHaveValue(email);
		await expect(desk.getByLabel(fi.field_password, { exact: true })).toHaveValue('');

		await desk.getByLabel(fi.field_password, { exact: true }).fill(password);
		await desk.getByLabel(fi.field_password_confirm, { exact: true }).fill(password);
		await desk.getByRole('button', { name: fi.setup_submit }).click();
		await expect(desk.getByRole('heading', { level: 1 })).toHaveText(fi.home_my_meetings, { timeout: 30_000 });
		await expect(desk.getByText(fi.header_signed_in_as.replace('{name}', coordinatorName))).toBeVisible();
	});

	await test.step('signing out is a form post', async () => {
		await desk.getByRole('button', { name: fi.header_sign_out }).click();
		await expect(desk.getByRole('heading', { level: 1 })).toHaveText(fi.home_heading);
		await expect(desk.getByRole('button', { name: fi.header_sign_out })).toHaveCount(0);
	});

	await test.step('the language picker posts too, and a wrong password is refused in the language chosen', async () => {
		await desk.goto('/login');
		await desk.getByRole('navigation', { name: fi.language_change }).getByRole('button', { name: sv.language_sv }).click();
		await expect(desk).toHaveURL(/\/login$/);
		await expect(desk.locator('html')).toHaveAttribute('lang', 'sv');
		await expect(desk.getByRole('heading', { level: 1 })).toHaveText(sv.login_title);

		await desk.getByLabel(sv.field_email, { exact: true }).fill(email);
		await desk.getByLabel(sv.field_password, { exact: true }).fill(`${password}-väärä`);
		await desk.getByRole('button', { name: sv.login_submit }).click();
		await expect(desk.getByRole('alert')).toContainText(sv.login_wrong_credentials);
		await expect(desk.getByLabel(sv.field_email, { exact: true })).toHaveValue(email);

		await desk.getByRole('navigation', { name: sv.language_change }).getByRole('button', { name: fi.language_fi }).click();
		await expect(desk.locator('html')).toHaveAttribute('lang', 'fi');
		await expect(desk.getByRole('heading', { level: 1 })).toHaveText(fi.login_title);
	});

	await test.step('the coordinator signs in', async () => {
		await desk.getByLabel(fi.field_email, { exact: true }).fill(email);
		await desk.getByLabel(fi.field_password, { exact: true }).fill(password);
		await desk.getByRole('button', { name: fi.login_submit }).click();
		await expect(desk.getByRole('heading', { level: 1 })).toHaveText(fi.home_my_meetings, { timeout: 30_000 });
	});

	await test.step('the coordinator adds a colleague’s account; a short password is refused', async () => {
		await desk.getByRole('link', { name: fi.home_accounts }).click();
		const form = desk.getByRole('region', { name: fi.accounts_add_heading });
		await form.getByLabel(fi.field_email, { exact: true }).fill(nurseEmail);
		await form.getByLabel(fi.field_name, { exact: true }).fill(nurseName);
		await form.getByLabel(fi.field_initial_password, { exact: true }).fill('lyhyt');
		await form.getByRole('button', { name: fi.accounts_add_submit }).click();
		await expectRefused(desk, fi.field_initial_password, fi.field_error_password_length);
		await expect(form.getByLabel(fi.field_name, { exact: true })).toHaveValue(nurseName);

		await form.getByLabel(fi.field_initial_password, { exact: true }).fill(password);
		await form.getByRole('button', { name: fi.accounts_add_submit }).click();
		await expect(desk.getByRole('status').filter({ hasText: fi.accounts_added.replace('{name}', nurseName) })).toBeVisible();
		await desk.getByRole('link', { name: fi.back_to_my_meetings }).click();
	});

	const meetingId = await test.step('a meeting without a name is refused; with one it is created', async () => {
		await desk.getByRole('link', { name: fi.home_new_meeting }).click();
		await desk.getByLabel(fi.field_place, { exact: true }).fill('Vaasan työkykypiste, neuvotteluhuone 3');
		await desk.getByRole('button', { name: fi.new_meeting_submit }).click();
		await expectRefused(desk, fi.field_meeting_title, fi.field_error_required);
		await expect(desk.getByLabel(fi.field_place, { exact: true })).toHaveValue('Vaasan työkykypiste, neuvotteluhuone 3');

		await desk.getByLabel(fi.field_meeting_title, { exact: true }).fill(meetingTitle);
		await desk.getByRole('button', { name: fi.new_meeting_submit }).click();
		await expect(desk.getByRole('heading', { level: 1 })).toHaveText(fi.participants_heading);
		return /\/meetings\/([^/?]+)\/participants/.exec(desk.url())![1]!;
	});

	const firstInviteUrl = await test.step('the coordinator adds the client as a guest: the personal link is on the page', async () => {
		const form = desk.getByRole('region', { name: fi.participants_add_heading });
		await form.getByRole('button', { name: fi.participants_add_submit }).click();
		await expectRefused(desk, fi.field_participant_name, fi.field_error_required);

		await form.getByLabel(fi.field_participant_name, { exact: true }).fill(guestName);
		await form.getByLabel(fi.field_role, { exact: true }).selectOption({ label: fi.role_client });
		await form.getByRole('button', { name: fi.participants_add_submit }).click();
		const invite = desk.getByRole('region', { name: fi.invite_heading.replace('{name}', guestName) });
		await expect(invite).toBeVisible();
		await expect(invite.getByRole('img', { name: fi.invite_qr_alt.replace('{name}', guestName) })).toBeVisible();
		// The copy button needs a script; the link itself is there to select and copy.
		await expect(invite.getByRole('button', { name: fi.invite_copy })).toHaveCount(0);
		const link = invite.getByLabel(fi.invite_link_label);
		await expect(link).toBeVisible();
		const url = await link.inputValue();
		expect(url).toMatch(/\/join\/[A-Za-z0-9_-]{22,}$/);
		return url;
	});

	await test.step('and a professional with an account, chosen from the list', async () => {
		const form = desk.getByRole('region', { name: fi.participants_account_heading });
		await form.getByLabel(fi.field_account, { exact: true }).selectOption({ label: `${nurseName} (${nurseEmail})` });
		await form.getByLabel(fi.field_role, { exact: true }).selectOption({ label: fi.role_nurse });
		await form.getByRole('button', { name: fi.participants_account_submit }).click();
		await expect(desk.getByRole('status').filter({ hasText: fi.participants_account_added.replace('{name}', nurseName) })).toBeVisible();
		const people = desk.getByRole('region', { name: fi.participants_list_heading.replace('{count}', '3') });
		await expect(people.getByRole('heading', { level: 3, name: nurseName })).toBeVisible();
		await expect(people.getByRole('heading', { level: 3, name: guestName })).toBeVisible();
	});

	const inviteUrl = await test.step('a new link for the guest is listed beside the first one, which the coordinator then revokes', async () => {
		await desk.getByRole('button', { name: fi.participants_reissue_for.replace('{name}', guestName) }).click();
		const link = desk.getByRole('region', { name: fi.invite_heading.replace('{name}', guestName) }).getByLabel(fi.invite_link_label);
		await expect(link).toBeVisible();
		const url = await link.inputValue();
		expect(url).toMatch(/\/join\/[A-Za-z0-9_-]{22,}$/);
		expect(url).not.toBe(firstInviteUrl);
		// Both links are valid until revoked one by one (issue #21 item 9).
		await expect(desk.getByText(scribe.scribe_invites_heading.replace('{count}', '2'))).toBeVisible();
		await desk.getByText(scribe.scribe_invite_revoke.replace('{number}', '1').replace('{name}', guestName), { exact: true }).click();
		await desk.getByRole('button', { name: scribe.scribe_invite_revoke_confirm }).click();
		await expect(desk.getByRole('status').filter({ hasText: scribe.scribe_invite_revoked_done.replace('{name}', guestName) })).toBeVisible();
		await expect(desk.getByText(scribe.scribe_invites_heading.replace('{count}', '1'))).toBeVisible();
		return url;
	});

	const guest = await (await world.anonymous()).newPage();
	await test.step('the client opens the link in another browser: an empty name is refused, then they join with consent', async () => {
		expect((await guest.goto(firstInviteUrl))?.status()).toBe(403);
		await expect(guest.getByText(fi.join_refused_revoked)).toBeVisible();
		await guest.goto(inviteUrl);
		await expect(guest.getByRole('heading', { level: 1 })).toHaveText(fi.join_title);
		await expect(guest.getByLabel(fi.field_display_name, { exact: true })).toHaveValue(guestName);
		await guest.getByLabel(fi.field_display_name, { exact: true }).fill('');
		await guest.getByRole('button', { name: fi.join_submit }).click();
		await expectRefused(guest, fi.field_display_name, fi.field_error_required);

		await guest.getByLabel(fi.field_display_name, { exact: true }).fill(guestName);
		const consent = guest.getByRole('group', { name: fi.join_consent_legend });
		await consent.getByLabel(fi.consent_org_kela, { exact: true }).check();
		await consent.getByLabel(fi.consent_org_employment, { exact: true }).check();
		await guest.getByRole('button', { name: fi.join_submit }).click();
		await expect(guest).toHaveURL(new RegExp(`/meetings/${meetingId}$`));
	});

	await test.step('the meeting page shows what the server knows and says that live editing needs JavaScript', async () => {
		await expect(guest.getByRole('heading', { level: 1 })).toHaveText(meetingTitle);
		await expect(guest.getByText(fi.room_needs_javascript)).toBeVisible();
		await expect(guest.getByRole('heading', { name: fi.agenda_current.replace('{phase}', fi.phase_introductions) })).toBeVisible();
		const roster = guest.getByRole('region', { name: fi.roster_heading });
		await expect(roster).toContainText(coordinatorName);
		await expect(roster).toContainText(nurseName);
		// Nothing promises what cannot come without a script.
		await expect(guest.getByText(fi.meeting_loading).filter({ visible: true })).toHaveCount(0);
		await expect(guest.getByRole('tablist')).toBeHidden();
		// The client's words field saves only through the live document: without a script it is not offered.
		await expect(guest.getByRole('textbox', { name: fi.meeting_client_voice_heading })).toBeHidden();
	});

	await test.step('the note is in every language', async () => {
		await guest.getByRole('navigation', { name: fi.language_change }).getByRole('button', { name: sv.language_sv }).click();
		await expect(guest).toHaveURL(new RegExp(`/meetings/${meetingId}$`));
		await expect(guest.getByText(catalogs.sv.room_needs_javascript)).toBeVisible();
		await guest.getByRole('navigation', { name: sv.language_change }).getByRole('button', { name: catalogs.en.language_en }).click();
		await expect(guest.getByText(catalogs.en.room_needs_javascript)).toBeVisible();
	});

	await test.step('revoking is confirmed in a disclosure, which needs no script either', async () => {
		await desk.getByText(fi.participants_revoke_for.replace('{name}', nurseName)).click();
		await desk.getByRole('button', { name: fi.participants_revoke_confirm }).click();
		await expect(desk.getByRole('status').filter({ hasText: fi.participants_revoked_done.replace('{name}', nurseName) })).toBeVisible();
		await expect(desk.getByRole('region', { name: fi.participants_list_heading.replace('{count}', '2') })).toBeVisible();
	});

	await test.step('the coordinator opens the meeting from the participants page and reads the same note', async () => {
		await desk.getByRole('link', { name: fi.participants_open_room }).click();
		await expect(desk.getByRole('heading', { level: 1 })).toHaveText(meetingTitle);
		await expect(desk.getByText(fi.room_needs_javascript)).toBeVisible();
	});
});
