/**
 * Nobody appears as someone else by name, and a path's history shows only what the reader may open
 * (issue #20 item 8), in the browser and over HTTP. The client joins choosing the coordinator's name:
 * the room's roster, the hands queue and the participants page show the coordinator's record of the
 * client with the chosen name beside it. After closing and a follow-up the client's history (page and
 * API) lists only their own meeting: the follow-up's title never appears.
 */
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from '@playwright/test';
import * as Y from 'yjs';
import { addGoal } from '../../src/lib/meeting/index';
import { connectProvider, synced } from '../helpers/yjs-client';
import { expect, fiAll, helsinkiDay, test } from './fixtures';

const people = JSON.parse(readFileSync(new URL('../../messages/people/fi.json', import.meta.url), 'utf8')) as typeof import('../../messages/people/fi.json');
const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? `{${key}}`);

async function sessionCookieOf(context: BrowserContext): Promise<string> {
	const cookie = (await context.storageState()).cookies.find((c) => c.name === 'verkosto_session');
	if (!cookie) throw new Error('no session cookie');
	return `${cookie.name}=${cookie.value}`;
}

async function openRoom(context: BrowserContext, meetingId: string): Promise<Page> {
	const page = await context.newPage();
	await page.goto(`/meetings/${meetingId}`);
	await expect(page.locator('[role="status"][data-state]')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
	return page;
}

test('a client choosing the coordinator’s name is shown as the client, and sees only their own meeting of the path', async ({ world }, testInfo) => {
	test.setTimeout(240_000);
	const baseURL = testInfo.project.use.baseURL!;
	const aino = await world.account('Aino Mäkelä');
	const coordinator = await world.signedIn(aino);
	const meetingId = await world.meeting('Verkostotapaaminen – Liisa Ä.', aino);
	const { inviteUrl } = await world.invite(coordinator, meetingId, { name: 'Liisa Äijälä', role: 'client', presence: 'remote' });
	const kela = await world.invite(coordinator, meetingId, { name: 'Jörn Sjöström', role: 'kela', organisation: 'Kela' });
	const client = await world.guest(inviteUrl, 'Aino Mäkelä', ['kela']);
	const shown = fill(people.participant_chosen_name, { name: 'Liisa Äijälä', chosen: 'Aino Mäkelä' });

	await test.step('the room shows the record with the chosen name beside it, in the roster and the hands queue', async () => {
		const [desk, phone] = await Promise.all([openRoom(coordinator, meetingId), openRoom(client, meetingId)]);
		const roster = desk.getByRole('region', { name: fiAll.roster_heading });
		await expect(roster.getByText(shown, { exact: true })).toBeVisible();
		// Only one person in the roster goes by the coordinator's name alone: the coordinator.
		await expect(roster.getByText('Aino Mäkelä', { exact: true })).toHaveCount(1);
		await phone.getByRole('button', { name: fiAll.hands_raise }).click();
		await expect(desk.getByRole('button', { name: fill(fiAll.hands_give_turn, { name: shown }) })).toBeVisible();
		await desk.close();
		await phone.close();
	});

	await test.step('so does the participants page', async () => {
		const page = await coordinator.newPage();
		await page.goto(`/meetings/${meetingId}/participants`);
		await expect(page.getByRole('heading', { name: shown })).toBeVisible();
		await page.close();
	});

	const followUpTitle = 'Seurantatapaaminen – Liisan velkaneuvonta';
	await test.step('the meeting is closed and a follow-up started', async () => {
		const { doc, provider } = connectProvider(`${baseURL.replace(/^http/, 'ws')}/yjs`, meetingId, new Y.Doc(), {
			cookie: await sessionCookieOf(coordinator)
		});
		await synced(provider);
		addGoal(doc, { text: 'Palaan työhön osa-aikaisesti.', area: 'work' });
		const named = await coordinator.request.put(`/api/meetings/${meetingId}/responsible`, {
			data: { participantId: kela.participantId, followUpDate: helsinkiDay(30), followUpMode: 'call', contact: '020 634 0000' }
		});
		expect(named.status(), await named.text()).toBe(200);
		await expect
			.poll(async () => ((await (await coordinator.request.get(`/api/meetings/${meetingId}/close`)).json()) as { missing: string[] }).missing)
			.toEqual([]);
		provider.destroy();
		const closed = await coordinator.request.post(`/api/meetings/${meetingId}/close`);
		expect(closed.status(), await closed.text()).toBe(200);
		const started = await coordinator.request.post(`/api/meetings/${meetingId}/follow-up`, { data: { kind: 'follow_up', title: followUpTitle } });
		expect(started.status(), await started.text()).toBe(201);
	});

	await test.step('the closed plan records the client by the record', async () => {
		const plan = (await (await client.request.get(`/api/meetings/${meetingId}/plan`)).json()) as {
			participants: Array<{ name: string; chosenName?: string; role: string }>;
		};
		expect(plan.participants.find((p) => p.role === 'client')).toMatchObject({ name: 'Liisa Äijälä', chosenName: 'Aino Mäkelä' });
	});

	await test.step('the client’s history lists only their own meeting, on the page and in the API', async () => {
		const answer = await client.request.get(`/api/meetings/${meetingId}/history`);
		expect(answer.status()).toBe(200);
		const body = await answer.text();
		expect(body).not.toContain(followUpTitle);
		expect((JSON.parse(body) as { meetings: Array<{ id: string }> }).meetings.map((m) => m.id)).toEqual([meetingId]);
		const page = await client.newPage();
		await page.goto(`/meetings/${meetingId}/history`);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Verkostotapaaminen – Liisa Ä.' })).toBeVisible();
		expect(await page.content()).not.toContain(followUpTitle);
		// The coordinator, who takes part in both, sees both.
		const desk = await coordinator.newPage();
		await desk.goto(`/meetings/${meetingId}/history`);
		await expect(desk.getByRole('link', { name: followUpTitle })).toBeVisible();
	});
});
