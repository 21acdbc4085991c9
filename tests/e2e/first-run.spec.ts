/**
 * The first run (issue #3): while no account exists every page leads to /setup, which creates the
 * first coordinator and signs them in. This is the only spec that may see an empty server, so it
 * runs in its own project (`setup-dev`, `setup-prod`) before every other spec (playwright.config.ts);
 * the setup page's accessibility (issue #7) can only be checked here, in all three languages.
 */
import { catalogs, expectAccessible, fitsWidth, locales, password, test, expect } from './fixtures';

const fi = catalogs.fi;

test('first run: every page leads to /setup, which creates the first coordinator and signs them in', async ({ browser, baseURL }) => {
	// Six axe runs, and the dev server compiles every page on its first visit.
	test.setTimeout(180_000);
	await test.step('the setup page passes axe in every language, and reflows at 320 px', async () => {
		for (const language of locales) {
			const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
			await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: language, url: baseURL! }]);
			const page = await context.newPage();
			await page.goto('/setup');
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(catalogs[language].setup_title);
			await expect(page.locator('html')).toHaveAttribute('lang', language);
			await expectAccessible(page, `/setup (${language})`);
			// A form with errors is a state of its own: the error summary and the fields marked invalid.
			await page.getByRole('button', { name: catalogs[language].setup_submit }).click();
			await expect(page.getByRole('alert').or(page.locator('[aria-invalid="true"]')).first()).toBeVisible();
			await expectAccessible(page, `/setup with errors (${language})`);
			const { scrollWidth, clientWidth } = await fitsWidth(page);
			expect(scrollWidth, `/setup at 320 px (${language})`).toBeLessThanOrEqual(clientWidth);
			await context.close();
		}
	});

	const context = await browser.newContext();
	const page = await context.newPage();
	await test.step('the home page and the sign-in page both lead to /setup', async () => {
		for (const path of ['/', '/login', '/meetings/new']) {
			await page.goto(path);
			await expect(page).toHaveURL(/\/setup$/);
		}
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(fi.setup_title);
	});

	await test.step('the first coordinator fills the form and lands on their meetings, signed in', async () => {
		// Type only into the hydrated form: hydration resets fields typed into the server-rendered page.
		await page.waitForLoadState('networkidle');
		await page.getByLabel(fi.field_email, { exact: true }).fill(`ensimmainen.koordinaattori.${test.info().project.name}@example.fi`);
		await page.getByLabel(fi.field_name, { exact: true }).fill('Kaisa Östman-Järvinen');
		await page.getByLabel(fi.field_password, { exact: true }).fill(password);
		await page.getByLabel(fi.field_password_confirm, { exact: true }).fill(password);
		await page.getByRole('button', { name: fi.setup_submit }).click();
		// Hashing the password (argon2id) and, on the dev server, compiling the home page take a while.
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(fi.home_my_meetings, { timeout: 30_000 });
		await expect(page).toHaveURL(/\/$/);
		await expect(page.getByText(fi.header_signed_in_as.replace('{name}', 'Kaisa Östman-Järvinen'))).toBeVisible();
		await expect(page.getByRole('link', { name: fi.home_new_meeting })).toBeVisible();
	});

	await test.step('setup is closed for good: /setup now leads to sign-in', async () => {
		const other = await browser.newContext();
		const anonymous = await other.newPage();
		await anonymous.goto('/setup');
		await expect(anonymous).toHaveURL(/\/login$/);
		await expect(anonymous.getByRole('heading', { level: 1 })).toHaveText(fi.login_title);
		await other.close();
	});
	await context.close();
});
