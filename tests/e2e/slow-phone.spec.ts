/**
 * A slow phone: the server-rendered form is on screen seconds before the page's JavaScript runs.
 * What someone types and ticks in that time must survive hydration and be what is submitted.
 * The page's scripts are held back until the person has filled the form, then let through.
 */
import { catalogs, expect, phone, test } from './fixtures';

const fi = catalogs.fi;

test('a name typed and consent ticked before the page’s JavaScript has run survive hydration and are recorded', async ({ browser, world }) => {
	const coordinator = await world.account('Pirkko Östman');
	const meetingId = await world.meeting('Hidas puhelin – Närpiön tiimi', coordinator);
	const desk = await world.signedIn(coordinator);
	const { inviteUrl } = await world.invite(desk, meetingId, { name: 'Åsa Lähteenmäki', role: 'client' });

	const context = await browser.newContext(phone);
	const page = await context.newPage();
	let releaseScripts!: () => void;
	const scriptsReleased = new Promise<void>((resolve) => (releaseScripts = resolve));
	await page.route('**/*', async (route) => {
		if (route.request().resourceType() === 'script') await scriptsReleased;
		await route.continue();
	});

	await test.step('the form is filled while the scripts are still loading', async () => {
		await page.goto(inviteUrl, { waitUntil: 'commit' });
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(fi.join_title);
		await expect(page.locator('html')).not.toHaveAttribute('data-hydrated', 'true');
		await page.getByLabel(fi.field_display_name, { exact: true }).fill('Åsa L.');
		await page.getByRole('group', { name: fi.join_consent_legend }).getByLabel(fi.consent_org_kela, { exact: true }).check();
		await expect(page.locator('html')).not.toHaveAttribute('data-hydrated', 'true');
	});

	await test.step('the scripts run; the name and the tick are still there', async () => {
		releaseScripts();
		await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
		await expect(page.getByLabel(fi.field_display_name, { exact: true })).toHaveValue('Åsa L.');
		await expect(page.getByRole('group', { name: fi.join_consent_legend }).getByLabel(fi.consent_org_kela, { exact: true })).toBeChecked();
	});

	await test.step('joining records that consent', async () => {
		await page.getByRole('button', { name: fi.join_submit }).click();
		await expect(page).toHaveURL(new RegExp(`/meetings/${meetingId}$`));
		await expect(page.locator('[data-consent]')).toHaveAttribute('data-consent', 'kela', { timeout: 30_000 });
	});
	await context.close();
});
