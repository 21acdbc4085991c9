/**
 * The accounts page (issue #20 item 8): a coordinator disables an account behind a confirmation and
 * enables it again with the Enable button, after which it signs in; disabling one's own account is
 * refused with a clear error in Finnish, Swedish and English, also when the form is forged without
 * JavaScript. Accounts are made with the admin command line.
 */
import { readFileSync } from 'node:fs';
import { catalogs, expect, locales, test, type Locale } from './fixtures';

/** The catalog of the account and name messages, per language. */
const people = Object.fromEntries(
	locales.map((locale) => [
		locale,
		JSON.parse(readFileSync(new URL(`../../messages/people/${locale}.json`, import.meta.url), 'utf8')) as typeof import('../../messages/people/fi.json')
	])
) as Record<Locale, typeof import('../../messages/people/fi.json')>;

const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? `{${key}}`);

test('a coordinator disables an account and enables it again; it signs in once more', async ({ world }) => {
	const aino = await world.account('Aino Äijälä');
	const bjorn = await world.account('Björn Sjöström', 'professional');
	const desk = await world.signedIn(aino);
	const page = await desk.newPage();
	const fi = catalogs.fi;
	await page.goto('/accounts');
	const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: bjorn.name }) });

	await test.step('disabled behind a confirmation', async () => {
		await card.getByText(fill(fi.accounts_disable_for, { name: bjorn.name }), { exact: true }).click();
		await card.getByRole('button', { name: fi.accounts_disable_confirm }).click();
		await expect(page.getByRole('status')).toHaveText(fill(fi.accounts_disabled_done, { name: bjorn.name }));
		await expect(card.getByText(fi.accounts_disabled, { exact: true })).toBeVisible();
	});

	await test.step('enabled again with its button', async () => {
		await card.getByRole('button', { name: fill(people.fi.accounts_enable_for, { name: bjorn.name }) }).click();
		await expect(page.getByRole('status')).toHaveText(fill(people.fi.accounts_enabled_done, { name: bjorn.name }));
		await expect(card.getByText(fi.accounts_disabled, { exact: true })).toHaveCount(0);
		await expect(card.getByRole('button', { name: fill(people.fi.accounts_enable_for, { name: bjorn.name }) })).toHaveCount(0);
	});

	// Signs in through the real form endpoint (world.signedIn expects its 303).
	await world.signedIn(bjorn);
});

test('disabling one’s own account is refused with a clear error in fi, sv and en', async ({ world }) => {
	const saga = await world.account('Saga Öhman');
	const desk = await world.signedIn(saga);
	for (const locale of locales) {
		const context = await world.sameSession(desk, { language: locale });
		const page = await context.newPage();
		await page.goto('/accounts');
		// The page offers no such button; a forged form post (as without JavaScript) gets the error.
		await expect(page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: saga.name }) }).getByRole('button')).toHaveCount(0);
		const answer = await page.request.post('/accounts?/disable', {
			form: { userId: saga.userId },
			headers: { origin: new URL(page.url()).origin, accept: 'text/html' }
		});
		expect(answer.status()).toBe(422);
		const html = await answer.text();
		expect(html).toMatch(/role="alert"/);
		expect(html).toContain(catalogs[locale].accounts_disable_self);
	}
	// Still active: signing in works.
	await world.signedIn(saga);
});
