/**
 * The room screen and following the phase (issue #21, items 1 and 3, and the agenda's zig-zag of
 * item 9; docs/room-screen.md). A coordinator's laptop, the room's shared screen at 1920×1080 and a
 * nurse's laptop: what is written on the laptop shows on the screen in the phase's own section, the
 * coordinator pins and releases a section, the screen carries no account chrome, and the nurse
 * follows the phase or stays where they are.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { catalogs, expect, expectAccessible, locales, openRoom, syncStatus, test, type Locale, type World } from './fixtures';

const fi = catalogs.fi;
const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key]));

const screenSize = { viewport: { width: 1920, height: 1080 } };
const serviceName = 'Työkokeilu Äänekosken puutyöpajassa';
const goalWords = 'Åsa palaa työhön syksyllä neljäksi tunniksi päivässä.';

/** A meeting with its coordinator at a laptop and the room screen (the coordinator's account, on the room's computer). */
async function meetingWithScreen(world: World, title: string, language?: Locale) {
	const coordinator = await world.account('Kaisa Äijälä');
	const meetingId = await world.meeting(title, coordinator);
	const desk = await world.signedIn(coordinator);
	const screenContext = await world.sameSession(desk, { ...screenSize, language });
	return { meetingId, desk, screenContext };
}

async function openScreen(context: BrowserContext, meetingId: string): Promise<Page> {
	const page = await context.newPage();
	await page.goto(`/meetings/${meetingId}/screen`);
	await expect(syncStatus(page)).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
	return page;
}

/** The coordinator moves the agenda with the agenda's own button. */
async function moveTo(desk: Page, phase: 'service_map' | 'plan' | 'perspectives') {
	const agenda = desk.getByRole('navigation', { name: fi.agenda_heading });
	await agenda.getByRole('button', { name: fi[`phase_${phase}`] }).click();
	await expect(agenda.locator('[aria-current="step"]')).toContainText(fi[`phase_${phase}`]);
}

test('the screen shows the phase’s work written live on the laptop, with no account header', async ({ world }) => {
	const { meetingId, desk, screenContext } = await meetingWithScreen(world, 'Verkostotapaaminen – Åsa S.');
	const laptop = await openRoom(desk, meetingId);
	const screen = await openScreen(screenContext, meetingId);

	await test.step('no account chrome: no header, no sign-out, and the whole width is used', async () => {
		await expect(screen.getByRole('banner')).toHaveCount(0);
		await expect(screen.getByRole('button', { name: fi.header_sign_out })).toHaveCount(0);
		const width = await screen.locator('.screen').evaluate((element) => element.getBoundingClientRect().width);
		expect(width).toBeGreaterThan(1600);
	});

	await test.step('service map: a service added on the laptop reads on the screen by name', async () => {
		await moveTo(laptop, 'service_map');
		const services = screen.getByRole('region', { name: fi.screen_services_heading, exact: true });
		await expect(services).toBeVisible();
		await laptop.locator('#new-service-name').fill(serviceName);
		await laptop.getByRole('button', { name: fi.services_add_submit }).click();
		await expect(services.getByRole('listitem').filter({ hasText: serviceName })).toBeVisible();
		// Room scale: the name is drawn large enough to read from across the room.
		const size = await services.getByText(serviceName, { exact: true }).first().evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
		expect(size).toBeGreaterThanOrEqual(28);
	});

	await test.step('plan: a goal typed on the laptop appears in the screen’s plan', async () => {
		await moveTo(laptop, 'plan');
		const plan = screen.getByRole('region', { name: fi.screen_plan_heading, exact: true });
		await expect(plan).toBeVisible();
		await expect(screen.getByRole('region', { name: fi.screen_services_heading, exact: true })).toHaveCount(0);
		await laptop.getByRole('button', { name: fi.goals_add }).click();
		await expect(laptop.locator('li[data-goal] .cm-content')).toBeFocused();
		await laptop.keyboard.type(goalWords, { delay: 5 });
		await expect(plan.getByRole('heading', { name: goalWords })).toBeVisible();
	});
});

test('the coordinator pins a section to the screen and releases it in one click; others cannot', async ({ world }) => {
	const { meetingId, desk, screenContext } = await meetingWithScreen(world, 'Kiinnitys – Sjöström');
	const nurseInvite = await world.invite(desk, meetingId, { name: 'Päivi Öhman', role: 'nurse', organisation: 'Sote', presence: 'remote' });
	const nurse = await world.guest(nurseInvite.inviteUrl, 'Päivi Öhman');
	const laptop = await openRoom(desk, meetingId);
	const nursePage = await openRoom(nurse, meetingId);
	const screen = await openScreen(screenContext, meetingId);
	await moveTo(laptop, 'plan');
	await expect(screen.getByRole('region', { name: fi.screen_plan_heading, exact: true })).toBeVisible();

	const control = laptop.getByRole('region', { name: fi.screen_pin_heading, exact: true });
	await test.step('pin the service map: the screen shows it with a visible "pinned" note', async () => {
		await control.getByLabel(fi.screen_pin_section_label).selectOption('service_map');
		await control.getByRole('button', { name: fill(fi.screen_pin_button, { minutes: 10 }) }).click();
		await expect(screen.locator('[data-pinned="service_map"]')).toBeVisible();
		await expect(screen.getByRole('region', { name: fi.screen_services_heading, exact: true })).toBeVisible();
		await expect(screen.getByRole('region', { name: fi.screen_plan_heading, exact: true })).toHaveCount(0);
		await expect(screen.locator('[data-screen-pinned]')).toContainText(fill(fi.screen_pinned_note, { time: '' }).split(' ')[0]!);
		await expect(control.getByRole('status')).toContainText(fi.phase_service_map);
	});

	await test.step('a phase change keeps the pin', async () => {
		await moveTo(laptop, 'perspectives');
		await expect(screen.locator('.screen')).toHaveAttribute('data-phase', 'perspectives');
		await expect(screen.locator('[data-pinned="service_map"]')).toBeVisible();
	});

	await test.step('the nurse has no pin control', async () => {
		await expect(nursePage.getByRole('region', { name: fi.screen_pin_heading, exact: true })).toHaveCount(0);
	});

	await test.step('release: the screen follows the phase again', async () => {
		await control.getByRole('button', { name: fi.screen_pin_release }).click();
		await expect(screen.locator('[data-pinned]')).toHaveCount(0);
		await expect(screen.locator('[data-screen-pinned]')).toHaveCount(0);
		await expect(screen.getByRole('region', { name: fi.screen_perspectives_heading, exact: true })).toBeVisible();
		await expect(screen.getByRole('region', { name: fi.screen_perspectives_heading, exact: true })).toContainText('Päivi Öhman');
	});
});

test('everyone follows the phase, announced; "Stay here" keeps the tab and "Follow the meeting" rejoins', async ({ world }) => {
	const coordinator = await world.account('Kaisa Äijälä');
	const meetingId = await world.meeting('Seuraaminen – Åsa', coordinator);
	const desk = await world.signedIn(coordinator);
	const nurseInvite = await world.invite(desk, meetingId, { name: 'Jöns Sjöström', role: 'nurse', organisation: 'Sote' });
	const nurse = await world.guest(nurseInvite.inviteUrl, 'Jöns Sjöström');
	const laptop = await openRoom(desk, meetingId);
	const page = await openRoom(nurse, meetingId);
	const tab = (section: string) => page.locator(`#tab-${section}`);
	const announcement = page.locator('[data-phase-announcement]');

	await test.step('following: the tab moves and a polite live region says which section opened', async () => {
		await moveTo(laptop, 'service_map');
		await expect(tab('map')).toHaveAttribute('aria-selected', 'true');
		await expect(announcement).toHaveText(fill(fi.screen_follow_opened, { phase: fi.phase_service_map, section: fi.sections_map }));
	});

	await test.step('staying: a phase change leaves the tab, and a note says where the meeting is', async () => {
		await page.getByRole('checkbox', { name: fi.screen_follow_stay }).check();
		await moveTo(laptop, 'plan');
		const note = page.getByText(fill(fi.screen_follow_note, { phase: fi.phase_plan }));
		await expect(note).toBeVisible();
		await expect(tab('map')).toHaveAttribute('aria-selected', 'true');
		await expect(tab('plan')).toHaveAttribute('aria-selected', 'false');
	});

	await test.step('"Follow the meeting" rejoins in one click', async () => {
		await page.getByRole('button', { name: fi.screen_follow_button }).click();
		await expect(tab('plan')).toHaveAttribute('aria-selected', 'true');
		await expect(tab('plan')).toBeFocused();
		await expect(page.getByRole('checkbox', { name: fi.screen_follow_stay })).not.toBeChecked();
		await moveTo(laptop, 'service_map');
		await expect(tab('map')).toHaveAttribute('aria-selected', 'true');
	});
});

test('the coordinator’s agenda is one straight column at 1280 and at 360 px', async ({ world }) => {
	const coordinator = await world.account('Kaisa Äijälä');
	const meetingId = await world.meeting('Asialista – Åsa', coordinator);
	const desk = await world.signedIn(coordinator);
	const page = await openRoom(desk, meetingId);
	const agenda = page.getByRole('navigation', { name: fi.agenda_heading });
	// The current step is text, every other one a button: their numbers must start at one edge.
	await expect(agenda.getByRole('button', { name: fi.phase_plan })).toBeVisible();
	for (const width of [1280, 360]) {
		await page.setViewportSize({ width, height: 900 });
		const lefts = await agenda.locator('ol .number').evaluateAll((numbers) => numbers.map((n) => Math.round(n.getBoundingClientRect().left)));
		expect(lefts, `at ${width} px`).toHaveLength(7);
		expect(new Set(lefts).size, `number edges at ${width} px: ${lefts.join(', ')}`).toBe(1);
	}
});

test('the room screen has no accessibility violations in Finnish, Swedish and English at 1920×1080', async ({ world }) => {
	const coordinator = await world.account('Kaisa Äijälä');
	const meetingId = await world.meeting('Saavutettavuus – Åsa', coordinator);
	const desk = await world.signedIn(coordinator);
	const laptop = await openRoom(desk, meetingId);
	await moveTo(laptop, 'service_map');
	await laptop.locator('#new-service-name').fill(serviceName);
	await laptop.getByRole('button', { name: fi.services_add_submit }).click();
	await laptop.getByRole('region', { name: fi.screen_pin_heading, exact: true }).getByRole('button', { name: fill(fi.screen_pin_button, { minutes: 10 }) }).click();
	for (const locale of locales) {
		const context = await world.sameSession(desk, { ...screenSize, language: locale });
		const screen = await openScreen(context, meetingId);
		const texts = catalogs[locale];
		await expect(screen.getByRole('region', { name: texts.screen_services_heading, exact: true }).getByText(serviceName).first()).toBeVisible();
		await expect(screen.locator('[data-screen-pinned]')).toBeVisible();
		await expectAccessible(screen, `the room screen (${locale})`);
	}
});
