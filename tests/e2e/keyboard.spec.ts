/**
 * The whole meeting by keyboard alone (issue #7, WCAG 2.1.1): after the first page.goto only Tab,
 * Shift+Tab, Enter, Space, arrow keys and typed text — sign in, open the meeting, move the agenda,
 * raise a hand and give the turn, write the client's words, add an open question, switch sections.
 */
import type { Locator, Page } from '@playwright/test';
import { catalogs, editorText, editorUnder, expect, password, test } from './fixtures';

const fi = catalogs.fi;

/** Presses Tab until `target` (or something inside it) has the focus, as a keyboard user would. */
async function tabTo(page: Page, target: Locator, max = 150): Promise<void> {
	await expect(target).toBeVisible();
	for (let presses = 0; presses < max; presses++) {
		if (await target.evaluate((el) => el === document.activeElement || el.contains(document.activeElement))) return;
		await page.keyboard.press('Tab');
	}
	throw new Error(`Tab never reached ${target}`);
}

test('a coordinator runs the meeting with the keyboard alone', async ({ page, world }) => {
	test.setTimeout(120_000);
	const coordinator = await world.account('Ilmari Sjöblom');
	const title = 'Verkostotapaaminen – Veera K.';
	const meetingId = await world.meeting(title, coordinator);
	const current = page.getByRole('navigation', { name: fi.agenda_heading }).locator('[aria-current="step"]');

	await test.step('sign in', async () => {
		await page.goto('/login');
		// Type only into the hydrated form: hydration resets fields typed into the server-rendered page.
		await page.waitForLoadState('networkidle');
		await tabTo(page, page.getByLabel(fi.field_email, { exact: true }));
		await page.keyboard.type(coordinator.email);
		await tabTo(page, page.getByLabel(fi.field_password, { exact: true }));
		await page.keyboard.type(password);
		await page.keyboard.press('Enter');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(fi.home_my_meetings, { timeout: 30_000 });
	});

	await test.step('open the meeting from the list', async () => {
		await tabTo(page, page.getByRole('link', { name: title }));
		await page.keyboard.press('Enter');
		await expect(page).toHaveURL(new RegExp(`/meetings/${meetingId}$`));
		await expect(page.locator('[role="status"][data-state]')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
	});

	await test.step('move the agenda to the client’s own words', async () => {
		await tabTo(page, page.getByRole('button', { name: fi.agenda_next }));
		await page.keyboard.press('Enter');
		await expect(current).toContainText(fi.phase_client_voice);
	});

	await test.step('raise a hand with Space, then give the turn with Enter', async () => {
		await tabTo(page, page.getByRole('button', { name: fi.hands_raise }));
		await page.keyboard.press('Space');
		await expect(page.getByRole('button', { name: fi.hands_lower })).toHaveAttribute('aria-pressed', 'true');
		await tabTo(page, page.getByRole('button', { name: fi.hands_give_turn.replace('{name}', coordinator.name) }));
		await page.keyboard.press('Enter');
		await expect(page.getByText(fi.hands_speaker.replace('{name}', coordinator.name))).toBeVisible();
	});

	await test.step('write the client’s words', async () => {
		const voice = editorUnder(page, fi.meeting_client_voice_heading);
		await tabTo(page, voice);
		await page.keyboard.type('Haluan ensin kuntoutukseen, sitten töihin.');
		await expect.poll(() => editorText(voice)).toBe('Haluan ensin kuntoutukseen, sitten töihin.');
	});

	await test.step('add an open question', async () => {
		const questions = page.getByRole('region', { name: fi.questions_heading });
		await tabTo(page, questions.getByRole('button', { name: fi.questions_add }));
		await page.keyboard.press('Enter');
		const question = questions.getByRole('listitem').getByRole('textbox');
		await expect(question).toBeFocused();
		await page.keyboard.type('Kuka hakee Kelan kuntoutusta?');
		await expect.poll(() => editorText(question)).toBe('Kuka hakee Kelan kuntoutusta?');
		await tabTo(page, questions.getByRole('checkbox', { name: fi.questions_resolved }));
		await page.keyboard.press('Space');
		await expect(questions.getByRole('checkbox', { name: fi.questions_resolved })).toBeChecked();
	});

	await test.step('switch sections with the arrow keys', async () => {
		const tabs = page.getByRole('tablist');
		await tabTo(page, tabs.getByRole('tab', { selected: true }));
		await page.keyboard.press('ArrowRight');
		const map = tabs.getByRole('tab', { name: new RegExp(fi.sections_map) });
		await expect(map).toHaveAttribute('aria-selected', 'true');
		await expect(map).toBeFocused();
		await page.keyboard.press('ArrowLeft');
		await expect(tabs.getByRole('tab', { name: new RegExp(fi.sections_situation) })).toBeFocused();
	});

	await test.step('move through the rest of the agenda to the close', async () => {
		const next = page.getByRole('button', { name: fi.agenda_next });
		for (const phase of [fi.phase_perspectives, fi.phase_service_map, fi.phase_plan, fi.phase_responsible_worker, fi.phase_close]) {
			await tabTo(page, next);
			await page.keyboard.press('Enter');
			await expect(current).toContainText(phase);
		}
		await expect(next).toBeDisabled();
	});
});
