/**
 * Services in the reader's language, and their order in time (issue #21 items 7, 8, 9): a Finnish
 * coordinator adds a service from the regional catalogue; a Swedish-speaking participant sees its
 * Swedish name in the room, and the Swedish PDF of the closed plan has it too. Planned months are
 * edited in the service list (bad input refused, nothing saved), and the timeline says in words where
 * two services overlap. The add form starts the next service from the default tie.
 */
import type { Page } from '@playwright/test';
import { pdfText } from '../helpers/pdf';
import * as Y from 'yjs';
import { addGoal } from '../../src/lib/meeting/index';
import { connectProvider, synced } from '../helpers/yjs-client';
import { catalogs, expect, expectAccessible, helsinkiDay, openRoom, sessionCookieOf, test, useLanguage } from './fixtures';

test.describe.configure({ timeout: 180_000 });

const fi = catalogs.fi;
const sv = catalogs.sv;

interface CatalogueEntry {
	id: string;
	sector: string;
	nameFi: string;
	nameSv: string;
}

/** Text of every page of a PDF, squashed to single spaces (as tests/integration/exports.test.ts reads it). */
async function openSection(page: Page, section: 'map' | 'plan'): Promise<void> {
	await page.locator(`#tab-${section}`).click();
	await expect(page.locator(`#tab-${section}`)).toHaveAttribute('aria-selected', 'true');
}

/** The service list's row whose heading is `name`. */
const row = (page: Page, name: string) => page.locator('li[data-service]').filter({ has: page.getByRole('heading', { level: 3, name, exact: true }) });

test('a catalogue service reads in Swedish for a Swedish speaker, in the room and the Swedish PDF; months and overlaps', async ({ world }, testInfo) => {
	const baseURL = testInfo.project.use.baseURL!;
	const { meetingId, desk, swedish, swedishId } = await test.step('a Finnish coordinator, a Swedish-speaking social worker and the client join', async () => {
		const coordinator = await world.account('Aino Äijälä');
		const meetingId = await world.meeting('Verkostotapaaminen – Närpiö', coordinator);
		const desk = await world.signedIn(coordinator);
		const social = await world.invite(desk, meetingId, { name: 'Åsa Sjöström', role: 'social_worker', organisation: 'Socialtjänsten', presence: 'remote' });
		const swedish = await world.guest(social.inviteUrl, 'Åsa Sjöström');
		await useLanguage(swedish, baseURL, 'sv');
		const client = await world.invite(desk, meetingId, { name: 'Örjan Björkqvist', role: 'client' });
		await world.guest(client.inviteUrl, 'Örjan Björkqvist', ['kela', 'social']);
		return { meetingId, desk, swedish, swedishId: social.participantId };
	});

	const catalogue = ((await (await desk.request.get('/api/catalogue', { headers: { accept: 'application/json' } })).json()) as { services: CatalogueEntry[] }).services;
	const entry = catalogue.find((e) => e.sector === 'employment' && e.nameSv && e.nameSv !== e.nameFi && !e.nameFi.includes(e.nameSv));
	if (!entry) throw new Error('The catalogue has no employment entry with a Swedish name of its own');
	const freeText = 'Puutyöpaja Sågen, Närpiö';

	const coordinatorPage = await openRoom(desk, meetingId);
	const swedishPage = await openRoom(swedish, meetingId);
	await openSection(coordinatorPage, 'map');
	await openSection(swedishPage, 'map');

	await test.step('the coordinator picks the service from the catalogue; the Swedish speaker reads its Swedish name', async () => {
		const name = coordinatorPage.locator('#new-service-name');
		await name.pressSequentially(entry.nameFi.slice(0, 5).toLocaleLowerCase(), { delay: 20 });
		await coordinatorPage
			.getByRole('listbox', { name: fi.combobox_listbox_label })
			.getByRole('option')
			.filter({ has: coordinatorPage.getByText(entry.nameFi, { exact: true }) })
			.click();
		await expect(name).toHaveValue(entry.nameFi);
		await coordinatorPage.getByRole('button', { name: fi.services_add_submit }).click();
		await expect(row(coordinatorPage, entry.nameFi)).toHaveCount(1);
		await expect(row(swedishPage, entry.nameSv)).toHaveCount(1);
		await expect(swedishPage.getByText(entry.nameFi, { exact: true })).toHaveCount(0);
	});

	await test.step('after adding a service with a strong tie, the form’s tie is back at its default', async () => {
		await expect(coordinatorPage.locator('#new-service-tie')).toHaveValue('moderate');
		await coordinatorPage.locator('#new-service-name').fill(freeText);
		await coordinatorPage.locator('#new-service-tie').selectOption('strong');
		await coordinatorPage.getByRole('button', { name: fi.services_add_submit }).click();
		await expect(row(coordinatorPage, freeText)).toHaveCount(1);
		await expect(coordinatorPage.locator('#new-service-tie')).toHaveValue('moderate');
		// Free text stays as written, for the Swedish reader too.
		await expect(row(swedishPage, freeText)).toHaveCount(1);
	});

	await test.step('planned months: bad input is refused with an error and nothing saved; good months are saved', async () => {
		const service = row(coordinatorPage, entry.nameFi);
		await service.locator('[data-edit]').click();
		const start = service.getByLabel(fi.services_field_start);
		const end = service.getByLabel(fi.services_field_end);
		await start.fill('2027-02');
		await end.fill('2027-13');
		await end.press('Tab');
		await expect(service.getByRole('alert')).toHaveText(fi.services_months_error_end_invalid);
		await expect(end).toHaveAttribute('aria-invalid', 'true');
		// The start was saved when focus left it; the bad end was not: the service is "planned to start" only.
		const months = row(swedishPage, entry.nameSv).locator('[data-service-months]');
		await expect(months).toContainText(sv.services_months_from.split('{')[0]!.trim());
		await end.fill('2027-01');
		await end.press('Tab');
		await expect(service.getByRole('alert')).toHaveText(fi.services_months_error_end_before_start);
		await end.fill('2027-05');
		await end.press('Tab');
		await expect(service.getByRole('alert')).toHaveCount(0);
		await expect(months).toContainText(sv.services_months_range.split('{')[0]!.trim());
		await expect(months).not.toContainText(sv.services_months_from.split('{')[0]!.trim());
		await expectAccessible(coordinatorPage, 'the service list with its month fields, fi');

		const other = row(coordinatorPage, freeText);
		await other.locator('[data-edit]').click();
		await other.getByLabel(fi.services_field_start).fill('2027-04');
		await other.getByLabel(fi.services_field_end).fill('2027-08');
		await other.getByLabel(fi.services_field_end).press('Tab');
		await expect(other.locator('[data-service-months]')).toBeVisible();
	});

	await test.step('the timeline says the overlap in words, in each reader’s language and with their names', async () => {
		await openSection(coordinatorPage, 'plan');
		await openSection(swedishPage, 'plan');
		const overlapFi = coordinatorPage.locator('[data-service-overlap]');
		await expect(overlapFi).toHaveCount(1);
		await expect(overlapFi).toContainText(entry.nameFi);
		await expect(overlapFi).toContainText(freeText);
		await expect(overlapFi).toContainText(fi.services_overlap.split(':')[0]!);
		const overlapSv = swedishPage.locator('[data-service-overlap]');
		await expect(overlapSv).toContainText(sv.services_overlap.split(':')[0]!);
		await expect(overlapSv).toContainText(entry.nameSv);
		await expect(swedishPage.locator(`[data-timeline-service]`).filter({ has: swedishPage.getByText(entry.nameSv, { exact: true }) })).toContainText(sv.services_overlap_row.split(':')[0]!);
		await expectAccessible(coordinatorPage, 'the timeline with an overlap, fi');
		await expectAccessible(swedishPage, 'the timeline with an overlap, sv');
		const english = await openRoom(await world.sameSession(swedish, { language: 'en' }), meetingId);
		await openSection(english, 'plan');
		await expect(english.locator('[data-service-overlap]')).toContainText(entry.nameFi);
		await expectAccessible(english, 'the timeline with an overlap, en');
		await openSection(english, 'map');
		await expectAccessible(english, 'the service list, en');
	});

	await test.step('the plan is closed; the Swedish PDF names the service in Swedish, the Finnish one in Finnish', async () => {
		const { doc, provider } = connectProvider(`${baseURL.replace(/^http/, 'ws')}/yjs`, meetingId, new Y.Doc(), { cookie: await sessionCookieOf(desk) });
		await synced(provider);
		addGoal(doc, { text: 'Palaan työhön osa-aikaisesti.', area: 'work' });
		const responsible = await desk.request.put(`/api/meetings/${meetingId}/responsible`, {
			data: { participantId: swedishId, followUpDate: helsinkiDay(30), followUpMode: 'call', contact: '06 123 4567' }
		});
		expect(responsible.status(), await responsible.text()).toBe(200);
		await expect
			.poll(async () => ((await (await desk.request.get(`/api/meetings/${meetingId}/close`)).json()) as { missing: string[] }).missing)
			.toEqual([]);
		provider.destroy();
		const closed = await desk.request.post(`/api/meetings/${meetingId}/close`, { data: { confirmIncompleteActions: true } });
		expect(closed.status(), await closed.text()).toBe(200);

		const swedishPdf = await desk.request.get(`/api/meetings/${meetingId}/export.pdf?lang=sv`);
		expect(swedishPdf.status()).toBe(200);
		const text = await pdfText(await swedishPdf.body());
		expect(text).toContain(entry.nameSv);
		expect(text).not.toContain(entry.nameFi);
		expect(text).toContain(freeText);
		expect(text).toContain('planerad');
		const finnish = await pdfText(await (await desk.request.get(`/api/meetings/${meetingId}/export.pdf?lang=fi`)).body());
		expect(finnish).toContain(entry.nameFi);
	});

	await test.step('the closed plan’s summary reads in Swedish for the Swedish speaker', async () => {
		const summary = await swedish.newPage();
		await summary.goto(`/meetings/${meetingId}/summary`);
		await expect(summary.locator('li[data-service]').filter({ hasText: entry.nameSv })).toHaveCount(1);
		await expectAccessible(summary, 'the closed plan’s summary, sv');
	});
});
