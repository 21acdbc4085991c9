/**
 * After closing, nothing changes (issue 19), over real HTTP against the dev server and the build:
 * every decision of the JSON API answers 409 in the API's error shape, the participants page's form
 * posts answer 409 and say so in Finnish, the live plan stays the hashed version — and a room page
 * that was open while the meeting closed drops every decision's control without a reload (the page
 * asks the server for its abilities again). The whole ability table, cell by cell, on every channel:
 * tests/integration/abilities.test.ts.
 */
import { request as http, type APIRequestContext } from '@playwright/test';
import * as Y from 'yjs';
import { addGoal } from '../../src/lib/meeting/index';
import { connectProvider, synced } from '../helpers/yjs-client';
import { admin, expect, fiAll as fi, helsinkiDay, password, test } from './fixtures';

async function cookieOf(ctx: APIRequestContext): Promise<{ name: string; value: string }> {
	const cookie = (await ctx.storageState()).cookies.find((c) => c.name === 'verkosto_session');
	if (!cookie) throw new Error('no session cookie');
	return { name: cookie.name, value: cookie.value };
}

test('a closed meeting refuses every decision with 409, on the API, the forms and the open room page', async ({ browser, dataDir }, testInfo) => {
	const baseURL = testInfo.project.use.baseURL!;
	const run = `${testInfo.project.name}.${Date.now()}`;
	const contexts: APIRequestContext[] = [];
	const requestContext = async () => {
		const created = await http.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
		contexts.push(created);
		return created;
	};

	const email = `aino.abilities.${run}@example.fi`;
	await admin(['user', 'add', '--email', email, '--name', 'Aino Mäkelä', '--role', 'coordinator'], dataDir, `${password}\n`);
	const coordinator = await requestContext();
	expect((await coordinator.post('/login', { form: { email, password }, headers: { accept: 'text/html' }, maxRedirects: 0 })).status()).toBe(303);
	const meetingId = await admin(['meeting', 'create', '--title', 'Verkostotapaaminen – Sjöström', '--coordinator', email], dataDir);
	const api = `/api/meetings/${meetingId}`;
	const add = async (person: Record<string, string>) => {
		const response = await coordinator.post(`${api}/participants`, { data: { presence: 'remote', access: 'edit', organisation: '', ...person } });
		expect(response.status(), await response.text()).toBe(201);
		return (await response.json()) as { id: string; inviteUrl: string };
	};
	const clientInvite = await add({ name: 'Åsa Sjöström', role: 'client' });
	const client = await requestContext();
	expect(
		(await client.post(new URL(clientInvite.inviteUrl).pathname, { form: { name: 'Åsa Sjöström', consent: 'kela' }, headers: { accept: 'text/html' }, maxRedirects: 0 })).status()
	).toBe(303);
	const kela = await add({ name: 'Väinö Äijälä', role: 'kela', organisation: 'Kela' });
	const removable = await add({ name: 'Örjan Ek', role: 'other', access: 'view' });
	const { name, value } = await cookieOf(coordinator);
	const { doc, provider } = connectProvider(`${baseURL.replace(/^http/, 'ws')}/yjs`, meetingId, new Y.Doc(), { cookie: `${name}=${value}` });
	await synced(provider);
	const goalId = addGoal(doc, { text: 'Palaan työhön osa-aikaisesti.', area: 'work' });
	provider.destroy();
	const responsible = { participantId: kela.id, followUpDate: helsinkiDay(30), followUpMode: 'call', contact: '020 634 0000' };
	expect((await coordinator.put(`${api}/responsible`, { data: responsible })).status()).toBe(200);
	expect((await client.put(`${api}/work-ability`, { data: { score: 5 } })).status()).toBe(200);

	// The coordinator's room is open while the meeting closes.
	const roomContext = await browser.newContext();
	await roomContext.addCookies([{ name, value, url: baseURL }]);
	const room = await roomContext.newPage();
	await room.goto(`/meetings/${meetingId}`);
	await expect(room.locator('[data-state="connected"]')).toHaveText(fi.sync_connected, { timeout: 30_000 });
	const agendaMoves = room.locator('nav.agenda button');
	await expect(agendaMoves.first()).toBeVisible();
	await expect(room.getByRole('button', { name: fi.hands_raise })).toBeVisible();

	const closed = await coordinator.post(`${api}/close`);
	expect(closed.status(), await closed.text()).toBe(200);
	const { hash } = (await closed.json()) as { hash: string };

	await test.step('the open room page drops every decision’s control, without a reload', async () => {
		await expect(agendaMoves).toHaveCount(0);
		await expect(room.getByRole('button', { name: fi.hands_raise })).toHaveCount(0);
	});

	await test.step('every decision of the JSON API answers 409 in the API’s error shape', async () => {
		const refusals = [
			await coordinator.put(`${api}/phase`, { data: { phase: 'introductions' } }),
			await coordinator.put(`${api}/responsible`, { data: { ...responsible, followUpMode: 'visit' } }),
			await coordinator.put(`${api}/work-ability`, { data: { score: 9 } }),
			await client.put(`${api}/work-ability`, { data: { score: 9 } }),
			await client.post(`${api}/evaluation`, { data: { heard: 'no' } }),
			await client.post(`${api}/evaluation`, { data: { goalId, rater: 'client', rating: 2 } }),
			await coordinator.post(`${api}/participants`, { data: { name: 'Elsa Öberg', role: 'other', organisation: '', presence: 'remote', access: 'view' } })
		];
		for (const response of refusals) {
			expect(response.status(), `${response.url()}: ${await response.text()}`).toBe(409);
			expect(await response.json()).toEqual({
				error: { code: 'conflict', message: 'The meeting is closed: its plan is final and nothing in it can change any more.', reason: 'meeting_closed' }
			});
		}
		// Someone who could not do it while open is refused as before.
		expect((await client.put(`${api}/phase`, { data: { phase: 'introductions' } })).status()).toBe(403);
	});

	await test.step('the participants page’s forms answer 409 and say, in Finnish, that the meeting is closed', async () => {
		const form = await coordinator.post(`/meetings/${meetingId}/participants?/add`, {
			form: { name: 'Elsa Öberg', role: 'other', organisation: '', presence: 'remote', access: 'view' },
			headers: { accept: 'text/html' },
			maxRedirects: 0
		});
		expect(form.status()).toBe(409);
		expect(await form.text()).toContain(fi.meeting_closed_refusal);
		const reissue = await coordinator.post(`/meetings/${meetingId}/participants?/reissue`, {
			form: { participantId: removable.id },
			headers: { accept: 'text/html' },
			maxRedirects: 0
		});
		expect(reissue.status()).toBe(409);
		// Removing someone's access still works: it protects the client's data and changes no plan.
		const revoke = await coordinator.post(`/meetings/${meetingId}/participants?/revoke`, {
			form: { participantId: removable.id },
			headers: { accept: 'text/html' },
			maxRedirects: 0
		});
		expect(revoke.status()).toBe(200);
		const page = await coordinator.get(`/meetings/${meetingId}/participants`);
		expect(await page.text()).toContain(fi.participants_closed_note);
	});

	await test.step('the live plan is the hashed version', async () => {
		const version = await coordinator.get(`${api}/export.json`);
		expect(version.headers()['x-plan-sha256']).toBe(hash);
		const live = await coordinator.get(`${api}/plan`);
		expect(await live.json()).toEqual(JSON.parse(await version.text()));
		const meeting = (await (await client.get(api)).json()) as { you: { abilities: Record<string, boolean> } };
		expect(meeting.you.abilities).toMatchObject({ read: true, export: true, recordWorkAbility: false, answerHeard: false, raiseHand: false });
	});

	await roomContext.close();
	for (const ctx of contexts) await ctx.dispose();
});
