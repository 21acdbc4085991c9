/**
 * The service map and the follow-up plan, co-edited live (issue #5): services from the regional
 * catalogue and by free text reach everyone's map and list, goals and actions typed on one device
 * appear on the others, two people reordering the actions at the same moment end with one order and
 * every action once, and the whole map can be edited by keyboard alone through its list view.
 *
 * Every person has their own browser context (own cookies, own websockets): the coordinator signs
 * in, the others join with their invitation links, as in live-typing.spec.ts.
 */
import type { BrowserContext, BrowserContextOptions, Locator, Page } from '@playwright/test';
import type { Sector } from '../../src/lib/meeting/vocabulary';
import { editorText, expect, fiAll as fi, openRoom, phone, test, type World } from './fixtures';

// Up to three people's accounts, contexts and live pages per test, on two shared cores; the dev
// server also compiles the room on its first use.
test.describe.configure({ timeout: 120_000 });

// Invented people (STYLE.md 9).
const coordinatorName = 'Annika Öhman';
const professionalName = 'Jörgen Väisänen';
const clientName = 'Siiri Åkerlund';

/** An entry of `GET /api/catalogue`, as much of it as these tests read. */
interface CatalogueEntry {
	id: string;
	sector: Sector;
	nameFi: string;
	provider: string;
}

interface Team {
	meetingId: string;
	coordinator: BrowserContext;
	professional: BrowserContext;
	client: BrowserContext;
}

/** A meeting with its coordinator, a professional from employment services and the client on a phone. */
async function team(world: World, title: string, options: { coordinator?: BrowserContextOptions; professional?: BrowserContextOptions } = {}): Promise<Team> {
	const account = await world.account(coordinatorName);
	const meetingId = await world.meeting(title, account);
	const coordinator = await world.signedIn(account, options.coordinator);
	const colleague = await world.invite(coordinator, meetingId, { name: professionalName, role: 'employment', organisation: 'Työllisyyspalvelut', presence: 'remote' });
	const professional = await world.guest(colleague.inviteUrl, professionalName, [], options.professional);
	const invited = await world.invite(coordinator, meetingId, { name: clientName, role: 'client' });
	const client = await world.guest(invited.inviteUrl, clientName, ['employment', 'kela'], phone);
	return { meetingId, coordinator, professional, client };
}

/** A participant's own page of the meeting, once its document is live. */
async function openSection(page: Page, section: 'map' | 'plan'): Promise<void> {
	// The client's phone opens in the calm view (ClientView.svelte); these tests use every editor.
	const fullView = page.locator('[data-full-view]');
	if (await fullView.count()) await fullView.click();
	await page.locator(`#tab-${section}`).click();
	await expect(page.locator(`#tab-${section}`)).toHaveAttribute('aria-selected', 'true');
}

/** The drawn map (an SVG image) and the same services as a list. */
const map = (page: Page) => page.getByRole('img', { name: fi.map_title });
const mapNode = (page: Page, id: string) => map(page).locator(`[data-service="${id}"]`);
const listRows = (page: Page) => page.locator('li[data-service]');
const listRow = (page: Page, id: string) => page.locator(`li[data-service="${id}"]`);
const listRowNamed = (page: Page, name: string) => listRows(page).filter({ has: page.getByRole('heading', { level: 3, name, exact: true }) });

/** Ids in the order the page shows them. */
function shownIds(items: Locator, attribute: 'data-service' | 'data-action'): Promise<string[]> {
	return items.evaluateAll((elements, name) => elements.map((element) => element.getAttribute(name) ?? ''), attribute);
}

/**
 * What a map node says, without the places where SVG text was wrapped (spaces between lines, a
 * hyphen where a long word was cut): compare it with `squeezed(expected)`.
 */
function mapNodeText(page: Page, id: string): Promise<string> {
	return mapNode(page, id).evaluate((node) => Array.from(node.querySelectorAll('text'), (text) => text.textContent ?? '').join(''));
}
const squeezed = (text: string) => text.replace(/[\s-]+/g, '');

/** The sector whose area the service's box is drawn in (the map places boxes by position only). */
function mapSector(page: Page, id: string): Promise<string | null> {
	return map(page).evaluate((svg, id) => {
		const box = svg.querySelector<SVGGraphicsElement>(`[data-service="${id}"] rect.box`)?.getBBox();
		if (!box) return null;
		for (const area of svg.querySelectorAll<SVGGElement>('g[data-sector]')) {
			const bounds = area.querySelector('rect')!.getBBox();
			if (box.x >= bounds.x && box.y >= bounds.y && box.x + box.width <= bounds.x + bounds.width && box.y + box.height <= bounds.y + bounds.height) {
				return area.dataset.sector ?? null;
			}
		}
		return null;
	}, id);
}

/** Everything a participant should see of one service, on the map and in the list. */
async function expectService(
	page: Page,
	id: string,
	service: { name: string; sector: Sector; status: 'current' | 'planned' | 'ended' | 'suggested'; tie: 'strong' | 'moderate' | 'tenuous' | 'stressful'; provider?: string },
	/** Who the map says is editing the service right now (never the viewer themselves). */
	editing?: string
): Promise<void> {
	const row = listRow(page, id);
	await expect(row.getByRole('heading', { level: 3 })).toHaveText(service.name);
	const facts = [fi[`sector_${service.sector}`], fi[`service_status_${service.status}`], fi.map_tie.replace('{tie}', fi[`tie_${service.tie}`])];
	if (service.provider) facts.push(service.provider);
	await expect(row.locator('p.facts')).toHaveText(facts.join(' · '));
	await expect(mapNode(page, id)).toHaveAttribute('data-status', service.status);
	// The tie is said in words on the map too, never by line style alone.
	const words = [service.name, service.provider ?? '', fi[`service_status_${service.status}`], fi.map_tie.replace('{tie}', fi[`tie_${service.tie}`])];
	if (editing) words.push(fi.map_editing.replace('{names}', editing));
	await expect.poll(async () => squeezed(await mapNodeText(page, id))).toBe(squeezed(words.join('')));
	await expect.poll(() => mapSector(page, id)).toBe(service.sector);
}

/**
 * Presses Tab (or Shift+Tab, for something above the focus) until `target` or something inside it
 * has the focus, as a keyboard user would.
 */
async function tabTo(page: Page, target: Locator, key: 'Tab' | 'Shift+Tab' = 'Tab', max = 150): Promise<void> {
	await expect(target).toBeVisible();
	for (let presses = 0; presses < max; presses++) {
		if (await target.evaluate((el) => el === document.activeElement || el.contains(document.activeElement))) return;
		await page.keyboard.press(key);
	}
	throw new Error(`${key} never reached ${target}`);
}

/** The regional catalogue as the signed-in `context` reads it. */
async function catalogue(context: BrowserContext): Promise<CatalogueEntry[]> {
	const response = await context.request.get('/api/catalogue', { headers: { accept: 'application/json' } });
	expect(response.status(), await response.text()).toBe(200);
	return ((await response.json()) as { services: CatalogueEntry[] }).services;
}

/**
 * A catalogue entry whose sector is not the add form's first choice (so picking it visibly sets
 * the sector) and which has a provider; found by its data, not by the default catalogue's wording.
 */
function pickable(entries: CatalogueEntry[], sector: Sector): CatalogueEntry {
	const entry = entries.find((e) => e.sector === sector && e.provider && entries.filter((other) => other.nameFi.toLocaleLowerCase().includes(e.nameFi.toLocaleLowerCase())).length === 1);
	if (!entry) throw new Error(`The catalogue has no entry in ${sector} with a provider and a name of its own`);
	return entry;
}

test('services from the catalogue and by free text appear on everyone’s map and list', async ({ world }) => {
	const { meetingId, coordinator, professional, client } = await test.step('a coordinator, a professional and the client on a phone join', () =>
		team(world, 'Verkostotapaaminen – Siiri Å.')
	);
	const pages = await test.step('all three open the service map', async () => {
		const pages = await Promise.all([coordinator, professional, client].map((context) => openRoom(context, meetingId)));
		for (const page of pages) await openSection(page, 'map');
		return pages;
	});
	const [desk, remote, phonePage] = pages as [Page, Page, Page];
	const entry = pickable(await catalogue(coordinator), 'kela');
	const freeText = { name: 'Puutyöpaja Sågen, Närpiö', sector: 'third_sector', status: 'planned', tie: 'strong', provider: 'Höylä ry' } as const;

	await test.step('at the same moment, the coordinator picks a service from the catalogue and the professional types one of their own', async () => {
		const fromCatalogue = async () => {
			const name = desk.locator('#new-service-name');
			await name.pressSequentially(entry.nameFi.slice(0, 6).toLocaleLowerCase(), { delay: 20 });
			const option = desk.getByRole('listbox', { name: fi.combobox_listbox_label }).getByRole('option').filter({ has: desk.getByText(entry.nameFi, { exact: true }) });
			await option.click();
			await expect(name).toHaveValue(entry.nameFi);
			// The entry brings its sector and provider with it.
			await expect(desk.locator('#new-service-sector')).toHaveValue(entry.sector);
			await expect(desk.locator('#new-service-provider')).toHaveValue(entry.provider);
			await desk.getByRole('button', { name: fi.services_add_submit }).click();
			await expect(name).toHaveValue('');
		};
		const byFreeText = async () => {
			await remote.locator('#new-service-name').pressSequentially(freeText.name, { delay: 20 });
			await remote.locator('#new-service-sector').selectOption(freeText.sector);
			await remote.locator('#new-service-status').selectOption(freeText.status);
			await remote.locator('#new-service-tie').selectOption(freeText.tie);
			await remote.locator('#new-service-provider').fill(freeText.provider);
			await remote.getByRole('button', { name: fi.services_add_submit }).click();
			await expect(remote.locator('#new-service-name')).toHaveValue('');
		};
		await Promise.all([fromCatalogue(), byFreeText()]);
	});

	await test.step('everyone’s map and list show both services, in the same order', async () => {
		await expect(listRowNamed(desk, entry.nameFi)).toHaveCount(1);
		await expect(listRowNamed(remote, freeText.name)).toHaveCount(1);
		const catalogueId = (await listRowNamed(desk, entry.nameFi).getAttribute('data-service'))!;
		const freeTextId = (await listRowNamed(remote, freeText.name).getAttribute('data-service'))!;
		for (const page of pages) {
			await expect(listRows(page)).toHaveCount(2);
			await expect(map(page).locator('[data-service]')).toHaveCount(2);
			await expectService(page, catalogueId, { name: entry.nameFi, sector: entry.sector, status: 'current', tie: 'moderate', provider: entry.provider });
			await expectService(page, freeTextId, freeText);
		}
		const order = await shownIds(listRows(desk), 'data-service');
		expect(order.toSorted()).toEqual([catalogueId, freeTextId].toSorted());
		for (const page of pages) await expect.poll(() => shownIds(listRows(page), 'data-service')).toEqual(order);
		await expect.poll(() => shownIds(map(phonePage).locator('[data-service]'), 'data-service').then((ids) => ids.toSorted())).toEqual(order.toSorted());
	});

	await test.step('someone who opens the meeting afterwards gets the same map from the server', async () => {
		const latecomer = await openRoom(await world.sameSession(professional), meetingId);
		await openSection(latecomer, 'map');
		await expect(listRows(latecomer)).toHaveCount(2);
		expect(await shownIds(listRows(latecomer), 'data-service')).toEqual(await shownIds(listRows(desk), 'data-service'));
	});
});

test('goals and actions typed on one device appear on the others', async ({ world }) => {
	const { meetingId, coordinator, professional, client } = await test.step('a coordinator, a professional and the client on a phone join', () =>
		team(world, 'Jatkosuunnitelma – Siiri Å.')
	);
	const pages = await Promise.all([coordinator, professional, client].map((context) => openRoom(context, meetingId)));
	for (const page of pages) await openSection(page, 'plan');
	const [desk, remote, phonePage] = pages as [Page, Page, Page];
	const goalWords = 'Haluan päästä työkokeiluun Närpiön puutyöpajaan ennen joulua.';
	const secondGoal = 'Jaksan käydä kaupassa itse, ilman että selkä kipeytyy.';
	const actionWords = 'Hakemus työkokeiluun ja tutustumiskäynti Sågenin pajalla.';

	const goalId = await test.step('the client writes a goal in her own words on her phone', async () => {
		await phonePage.getByRole('button', { name: fi.goals_add }).click();
		const goal = phonePage.locator('li[data-goal]');
		await expect(goal).toHaveCount(1);
		await expect(goal.locator('.cm-content')).toBeFocused();
		await phonePage.keyboard.type(goalWords, { delay: 10 });
		return (await goal.getAttribute('data-goal'))!;
	});

	await test.step('the coordinator and the professional see it, and the coordinator sets its area', async () => {
		for (const page of pages) await expect.poll(() => editorText(page.locator(`li[data-goal="${goalId}"] .cm-content`))).toBe(goalWords);
		await desk.locator(`#goal-${goalId}-area`).selectOption('work');
		for (const page of pages) await expect(page.locator(`#goal-${goalId}-area`)).toHaveValue('work');
	});

	const actionId = await test.step('the professional adds an action, links it to the goal and takes it on', async () => {
		await remote.getByRole('button', { name: fi.actions_add }).click();
		const action = remote.locator('li[data-action]');
		await expect(action).toHaveCount(1);
		await expect(action.locator('.cm-content')).toBeFocused();
		await remote.keyboard.type(actionWords, { delay: 10 });
		const id = (await action.getAttribute('data-action'))!;
		await remote.locator(`#action-${id}-goal`).selectOption(goalId);
		await remote.locator(`#action-${id}-owner`).selectOption({ label: fi.actions_owner_option.replace('{name}', professionalName).replace('{role}', fi.role_employment) });
		await remote.locator(`#action-${id}-status`).selectOption('doing');
		return id;
	});

	await test.step('the others see the action with its text, goal, owner and organisation', async () => {
		for (const page of pages) {
			await expect.poll(() => editorText(page.locator(`li[data-action="${actionId}"] .cm-content`))).toBe(actionWords);
			await expect(page.locator(`#action-${actionId}-goal`)).toHaveValue(goalId);
			await expect(page.locator(`#action-${actionId}-owner option:checked`)).toHaveText(
				fi.actions_owner_option.replace('{name}', professionalName).replace('{role}', fi.role_employment)
			);
			// The owner's organisation is filled in from the participant.
			await expect(page.locator(`#action-${actionId}-organisation`)).toHaveValue('Työllisyyspalvelut');
			await expect(page.locator(`#action-${actionId}-status`)).toHaveValue('doing');
		}
	});

	await test.step('while the coordinator adds a second goal, the client keeps writing hers', async () => {
		await Promise.all([
			(async () => {
				await desk.getByRole('button', { name: fi.goals_add }).click();
				const second = desk.locator('li[data-goal]').nth(1);
				await expect(second.locator('.cm-content')).toBeFocused();
				await desk.keyboard.type(secondGoal, { delay: 10 });
			})(),
			(async () => {
				const first = phonePage.locator(`li[data-goal="${goalId}"] .cm-content`);
				await first.click();
				await phonePage.keyboard.press('ControlOrMeta+End');
				await phonePage.keyboard.type(' Äiti voi viedä minut sinne.', { delay: 10 });
			})()
		]);
		for (const page of pages) {
			await expect(page.locator('li[data-goal]')).toHaveCount(2);
			await expect.poll(() => editorText(page.locator(`li[data-goal="${goalId}"] .cm-content`))).toBe(`${goalWords} Äiti voi viedä minut sinne.`);
			await expect.poll(() => editorText(page.locator('li[data-goal]').nth(1).locator('.cm-content'))).toBe(secondGoal);
		}
	});
});

/**
 * Holds the Yjs updates a context sends, as a slow network would, so that two people's moves are
 * made on the same order without either having seen the other's first: concurrent for certain, not
 * merely close in time. The socket stays open; nothing is lost, only delayed until `release`.
 */
async function holdableSync(context: BrowserContext) {
	let holding = false;
	const held: Array<() => void> = [];
	await context.routeWebSocket(/\/yjs\//, (ws) => {
		const server = ws.connectToServer();
		ws.onMessage((message) => {
			if (holding) held.push(() => server.send(message));
			else server.send(message);
		});
	});
	return {
		hold() {
			holding = true;
		},
		release() {
			holding = false;
			for (const send of held.splice(0)) send();
		}
	};
}

test('two people reorder the actions at the same time and end with the same order, each action once', async ({ world }) => {
	// Tall enough for the whole list (five actions with their fields): the drag from the last action to
	// the first needs no scrolling.
	const tall = { viewport: { width: 1280, height: 3600 } };
	const { meetingId, coordinator, professional } = await test.step('a coordinator and a professional join', () =>
		team(world, 'Toimenpiteiden järjestys – Siiri Å.', { professional: tall })
	);
	const deskSync = await holdableSync(coordinator);
	const remoteSync = await holdableSync(professional);
	const [desk, remote] = (await Promise.all([openRoom(coordinator, meetingId), openRoom(professional, meetingId)])) as [Page, Page];
	await openSection(desk, 'plan');
	await openSection(remote, 'plan');
	const actions = (page: Page) => page.locator('li[data-action]');
	const order = (page: Page) => shownIds(actions(page), 'data-action');
	const texts = ['Työkokeilun hakemus', 'Tutustuminen Sågenin pajaan', 'Kelan kuntoutusrahan hakemus', 'Fysioterapeutin arvio', 'Seurantapuhelu Östersundin toimistolta'];

	const [a, b, c, d, e] = await test.step('the coordinator writes five actions; the professional sees them in the same order', async () => {
		for (const [index, text] of texts.entries()) {
			await desk.getByRole('button', { name: fi.actions_add }).click();
			await expect(actions(desk).nth(index).locator('.cm-content')).toBeFocused();
			await desk.keyboard.type(text, { delay: 5 });
		}
		const ids = await order(desk);
		expect(ids).toHaveLength(5);
		await expect.poll(() => order(remote)).toEqual(ids);
		for (const [index, text] of texts.entries()) await expect.poll(() => editorText(actions(remote).nth(index).locator('.cm-content'))).toBe(text);
		return ids as [string, string, string, string, string];
	});

	await test.step('neither seeing the other: the coordinator moves the first action to the end by keyboard, the professional drags the last to the top', async () => {
		deskSync.hold();
		remoteSync.hold();
		const moveDown = async () => {
			const down = desk.locator(`[data-move="${a}:down"]`);
			await down.focus();
			for (let step = 0; step < 4; step++) {
				await expect(down).toBeFocused();
				await desk.keyboard.press('Enter');
				await expect.poll(() => order(desk)).toEqual(
					[b, c, d, e].toSpliced(step + 1, 0, a)
				);
			}
			// At the bottom the button is disabled and the focus stays on the card, on its other move button.
			await expect(desk.locator(`[data-move="${a}:up"]`)).toBeFocused();
		};
		const dragToTop = async () => {
			const handle = actions(remote).nth(4).locator('.handle');
			const from = (await handle.boundingBox())!;
			const first = (await actions(remote).first().boundingBox())!;
			await remote.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
			await remote.mouse.down();
			await remote.mouse.move(from.x + from.width / 2, first.y + 8, { steps: 20 });
			await remote.mouse.move(from.x + from.width / 2, first.y + 4, { steps: 2 });
			await remote.mouse.up();
			await expect.poll(() => order(remote)).toEqual([e, a, b, c, d]);
		};
		await Promise.all([moveDown(), dragToTop()]);
		// Each sees only their own move so far.
		expect(await order(desk)).toEqual([b, c, d, e, a]);
		expect(await order(remote)).toEqual([e, a, b, c, d]);
	});

	await test.step('once the updates arrive, both keep both moves', async () => {
		deskSync.release();
		remoteSync.release();
		await expect.poll(() => order(desk)).toEqual([e, b, c, d, a]);
		await expect.poll(() => order(remote)).toEqual([e, b, c, d, a]);
	});

	await test.step('both move the same action in opposite directions at once: one move wins everywhere, nothing doubles or disappears', async () => {
		deskSync.hold();
		remoteSync.hold();
		await Promise.all([
			(async () => {
				await desk.locator(`[data-move="${c}:up"]`).focus();
				await desk.keyboard.press('Space');
				await expect.poll(() => order(desk)).toEqual([e, c, b, d, a]);
			})(),
			(async () => {
				await remote.locator(`[data-move="${c}:down"]`).click();
				await expect.poll(() => order(remote)).toEqual([e, b, d, c, a]);
			})()
		]);
		deskSync.release();
		remoteSync.release();
		// The last writer of the action's place wins, the same on both devices.
		await expect
			.poll(async () => {
				const [here, there] = await Promise.all([order(desk), order(remote)]);
				return here.join() === there.join();
			})
			.toBe(true);
		const final = await order(desk);
		expect([
			[e, c, b, d, a],
			[e, b, d, c, a]
		]).toContainEqual(final);
	});

	await test.step('the server has the same order: a latecomer and the plan API agree', async () => {
		const final = await order(desk);
		const latecomer = await openRoom(await world.sameSession(coordinator), meetingId);
		await openSection(latecomer, 'plan');
		await expect.poll(() => order(latecomer)).toEqual(final);
		for (const [index, id] of final.entries()) {
			await expect.poll(() => editorText(latecomer.locator(`li[data-action="${id}"] .cm-content`))).toBe(texts[[a, b, c, d, e].indexOf(id)]);
			await expect(latecomer.locator(`li[data-action="${id}"] legend`)).toHaveText(fi.actions_label.replace('{number}', String(index + 1)));
		}
	});
});

test('the service map is operable by keyboard alone through its list view', async ({ world }) => {
	const { meetingId, coordinator, professional } = await test.step('a coordinator and a professional join', () =>
		team(world, 'Palvelukartta näppäimistöllä – Siiri Å.')
	);
	const entry = pickable(await catalogue(coordinator), 'employment');
	const [page, observer] = (await Promise.all([openRoom(coordinator, meetingId), openRoom(professional, meetingId)])) as [Page, Page];
	await openSection(observer, 'map');
	// From here on the coordinator uses only the keyboard: Tab, Enter, Space, arrow keys and typing.

	await test.step('open the map section with the arrow keys and go to the list from the map', async () => {
		await tabTo(page, page.getByRole('tablist').getByRole('tab', { selected: true }));
		await page.keyboard.press('ArrowRight');
		await expect(page.locator('#tab-map')).toBeFocused();
		await expect(page.locator('#tab-map')).toHaveAttribute('aria-selected', 'true');
		await tabTo(page, page.getByRole('link', { name: fi.map_to_list }));
		await page.keyboard.press('Enter');
		await expect(page.getByRole('heading', { level: 2, name: fi.services_list_heading })).toBeFocused();
	});

	const catalogueId = await test.step('add a service from the catalogue: type, arrow down to the suggestion, Enter', async () => {
		const name = page.locator('#new-service-name');
		await tabTo(page, name);
		await page.keyboard.type(entry.nameFi, { delay: 10 });
		await expect(name).toHaveAttribute('aria-expanded', 'true');
		await page.keyboard.press('ArrowDown');
		const active = page.locator(`#${await name.getAttribute('aria-activedescendant')}`);
		await expect(active).toHaveAttribute('aria-selected', 'true');
		await expect(active).toContainText(entry.nameFi);
		await page.keyboard.press('Enter');
		await expect(name).toHaveValue(entry.nameFi);
		await expect(page.locator('#new-service-sector')).toHaveValue(entry.sector);
		// Its status, with an arrow key on the focused select.
		await tabTo(page, page.locator('#new-service-status'));
		await expect(page.locator('#new-service-status')).toHaveValue('current');
		await page.keyboard.press('ArrowDown');
		await expect(page.locator('#new-service-status')).toHaveValue('planned');
		await tabTo(page, page.getByRole('button', { name: fi.services_add_submit }));
		await page.keyboard.press('Enter');
		await expect(name).toBeFocused();
		await expect(listRows(page)).toHaveCount(1);
		const id = (await listRows(page).first().getAttribute('data-service'))!;
		await expectService(observer, id, { name: entry.nameFi, sector: entry.sector, status: 'planned', tie: 'moderate', provider: entry.provider });
		return id;
	});

	const freeName = 'Kansalaisopiston keramiikkaryhmä Ödlan';
	const freeId = await test.step('add a service by free text, submitted with Enter in the name field', async () => {
		const name = page.locator('#new-service-name');
		await expect(name).toBeFocused();
		await page.keyboard.type(freeName, { delay: 10 });
		await page.keyboard.press('Enter');
		await expect(listRows(page)).toHaveCount(2);
		await expect(name).toHaveValue('');
		await expect(name).toBeFocused();
		const id = (await listRowNamed(page, freeName).getAttribute('data-service'))!;
		await expect(mapNode(observer, id)).toHaveCount(1);
		return id;
	});

	const provider = 'Närpiön kansalaisopisto';
	await test.step('open its fields, type its provider, and change its sector, status and tie with the arrow keys', async () => {
		const edit = page.locator(`[data-edit="${freeId}"]`);
		await tabTo(page, edit);
		await page.keyboard.press('Enter');
		await expect(edit).toHaveAttribute('aria-expanded', 'true');
		await tabTo(page, page.locator(`#service-${freeId}-provider`));
		await page.keyboard.type(provider, { delay: 10 });
		// The add form kept its last choices but the provider: the catalogue entry's sector, "planned", "moderate".
		const sector = page.locator(`#service-${freeId}-sector`);
		await tabTo(page, sector);
		await expect(sector).toHaveValue(entry.sector);
		// Sectors are listed health, social, employment, kela, education, third sector, other.
		await page.keyboard.press('End');
		await expect(sector).toHaveValue('other');
		await page.keyboard.press('ArrowUp');
		await expect(sector).toHaveValue('third_sector');
		const status = page.locator(`#service-${freeId}-status`);
		await tabTo(page, status);
		await page.keyboard.press('Home');
		await expect(status).toHaveValue('current');
		const tie = page.locator(`#service-${freeId}-tie`);
		await tabTo(page, tie);
		await page.keyboard.press('End');
		await expect(tie).toHaveValue('stressful');
		const changed = { name: freeName, sector: 'third_sector', status: 'current', tie: 'stressful', provider } as const;
		await expectService(page, freeId, changed);
		// The others see the change and who is making it, while the focus is in the service's fields.
		await expectService(observer, freeId, changed, coordinatorName);
		// A stressful tie is drawn as a zig-zag (and said in words, checked above).
		await expect(map(observer).locator('polyline[data-tie="stressful"]')).toHaveCount(1);
	});

	await test.step('move it up and back down with the move buttons; the focus stays on the service', async () => {
		await tabTo(page, page.locator(`[data-move="${freeId}:up"]`), 'Shift+Tab');
		await page.keyboard.press('Space');
		await expect.poll(() => shownIds(listRows(page), 'data-service')).toEqual([freeId, catalogueId]);
		await expect.poll(() => shownIds(listRows(observer), 'data-service')).toEqual([freeId, catalogueId]);
		// At the top "up" is disabled, so the focus moves to "down" of the same service.
		const down = page.locator(`[data-move="${freeId}:down"]`);
		await expect(down).toBeFocused();
		await page.keyboard.press('Enter');
		await expect.poll(() => shownIds(listRows(page), 'data-service')).toEqual([catalogueId, freeId]);
		await expect.poll(() => shownIds(listRows(observer), 'data-service')).toEqual([catalogueId, freeId]);
		await expect(page.locator(`[data-move="${freeId}:up"]`)).toBeFocused();
	});

	await test.step('remove the catalogue service, confirming with the keyboard', async () => {
		await tabTo(page, page.locator(`[data-remove="${catalogueId}"]`), 'Shift+Tab');
		await page.keyboard.press('Enter');
		const confirm = page.locator(`[data-confirm-remove="${catalogueId}"]`);
		await expect(confirm).toBeFocused();
		await page.keyboard.press('Enter');
		await expect(listRows(page)).toHaveCount(1);
		// The focus goes to the service that is left, not to the top of the page.
		await expect(page.locator(`[data-edit="${freeId}"]`)).toBeFocused();
		await expect(listRows(observer)).toHaveCount(1);
		await expect(mapNode(observer, catalogueId)).toHaveCount(0);
		await expect(map(observer).locator('[data-service]')).toHaveCount(1);
		await expectService(observer, freeId, { name: freeName, sector: 'third_sector', status: 'current', tie: 'stressful', provider });
	});
});
