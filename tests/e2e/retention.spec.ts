/**
 * Retention follows the service path (issue 19, docs/retention.md), in the browser and over HTTP:
 * the history page tells the coordinator when the path's content will be deleted, in Finnish,
 * Swedish and English, and the coordinator deletes the whole path behind a confirmation step; the
 * JSON API says the same (`GET …/history` → `retention`) and refuses `DELETE …/path` to anyone else.
 *
 * Set up the way people do it: accounts and the meeting with the admin command line, participants
 * through the API, the client joining with the invitation form (consent), a goal written by a stock
 * y-websocket client with the coordinator's session, closing and the follow-up through the API.
 */
import { readFileSync } from 'node:fs';
import type { BrowserContext } from '@playwright/test';
import * as Y from 'yjs';
import { addGoal } from '../../src/lib/meeting/index';
import type { PathDeleted, PathHistory } from '../../src/lib/protocol/retention';
import { formatDay, helsinkiDay as dayOfInstant } from '../../src/lib/time/calendar';
import { helsinkiLocalToInstant } from '../../src/lib/time/helsinki';
import { connectProvider, synced } from '../helpers/yjs-client';
import { expect, expectAccessible, helsinkiDay, locales, sessionCookieOf, test, type Locale } from './fixtures';

/** The retention catalog of each language: what a coordinator reads. */
const texts = Object.fromEntries(
	locales.map((locale) => [
		locale,
		JSON.parse(readFileSync(new URL(`../../messages/retention/${locale}.json`, import.meta.url), 'utf8')) as typeof import('../../messages/retention/fi.json')
	])
) as Record<Locale, typeof import('../../messages/retention/fi.json')>;

const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? `{${key}}`);

/** `date` plus `days` calendar days, `YYYY-MM-DD`. */
function addDays(date: string, days: number): string {
	const at = new Date(`${date}T00:00:00Z`);
	at.setUTCDate(at.getUTCDate() + days);
	return at.toISOString().slice(0, 10);
}

test('the coordinator sees when the path is deleted, in fi, sv and en, and deletes the whole path after confirming', async ({ world }, testInfo) => {
	// Five pages in three languages, each compiled on first visit by the dev server, and axe on four.
	test.setTimeout(300_000);
	const baseURL = testInfo.project.use.baseURL!;
	const followUpDate = helsinkiDay(30);

	const { coordinator, client, meetingId } = await test.step('a meeting of the path is planned and closed', async () => {
		const aino = await world.account('Aino Mäkelä');
		const coordinator = await world.signedIn(aino);
		const meetingId = await world.meeting('Verkostotapaaminen – Åsa Sjöström', aino);
		const { inviteUrl } = await world.invite(coordinator, meetingId, { name: 'Åsa Sjöström', role: 'client', presence: 'remote' });
		const client = await world.guest(inviteUrl, 'Åsa Sjöström', ['kela']);
		const kela = await world.invite(coordinator, meetingId, { name: 'Jörn Äijälä', role: 'kela', organisation: 'Kela' });

		const { doc, provider } = connectProvider(`${baseURL.replace(/^http/, 'ws')}/yjs`, meetingId, new Y.Doc(), {
			cookie: await sessionCookieOf(coordinator)
		});
		await synced(provider);
		addGoal(doc, { text: 'Palaan työhön osa-aikaisesti.', area: 'work' });
		const named = await coordinator.request.put(`/api/meetings/${meetingId}/responsible`, {
			data: { participantId: kela.participantId, followUpDate, followUpMode: 'call', contact: '020 634 0000' }
		});
		expect(named.status(), await named.text()).toBe(200);
		// The goal reached the server once closing no longer finds it missing.
		await expect
			.poll(async () => ((await (await coordinator.request.get(`/api/meetings/${meetingId}/close`)).json()) as { missing: string[] }).missing)
			.toEqual([]);
		provider.destroy();
		const closed = await coordinator.request.post(`/api/meetings/${meetingId}/close`);
		expect(closed.status(), await closed.text()).toBe(200);
		return { coordinator, client, meetingId };
	});

	// Waiting for its follow-up: ends at the midnight after follow-up date + PATH_IDLE_DAYS (180), and
	// is deleted RETENTION_DAYS (90) later.
	const endsAt = helsinkiLocalToInstant(`${addDays(followUpDate, 181)}T00:00`)!;
	const deleteAfter = helsinkiLocalToInstant(`${addDays(followUpDate, 271)}T00:00`)!;

	await test.step('the JSON API says when, and who may delete the path', async () => {
		const history = (await (await coordinator.request.get(`/api/meetings/${meetingId}/history`)).json()) as PathHistory;
		expect(history.retention).toEqual({
			state: 'awaiting_follow_up',
			endsAt: endsAt.toISOString(),
			deleteAfter: deleteAfter.toISOString(),
			retentionDays: 90,
			idleDays: 180
		});
		expect(history.canDeletePath).toBe(true);
		const asClient = (await (await client.request.get(`/api/meetings/${meetingId}/history`)).json()) as PathHistory;
		expect(asClient.canDeletePath).toBe(false);
	});

	await test.step('on the history page, in each language, the coordinator reads the deletion date', async () => {
		for (const locale of locales) {
			const context = await world.sameSession(coordinator, { language: locale });
			const page = await context.newPage();
			await page.goto(`/meetings/${meetingId}/history`);
			const section = page.getByRole('region', { name: texts[locale].retention_heading });
			await expect(section.getByTestId('retention-when')).toHaveText(
				fill(texts[locale].retention_awaiting, {
					lastDay: formatDay(addDays(followUpDate, 180), locale),
					deleteDay: formatDay(dayOfInstant(deleteAfter), locale)
				})
			);
			await expect(section.getByText(texts[locale].retention_delete_label)).toBeVisible();
			await expectAccessible(page, `history with its retention section (${locale})`);
			await context.close();
		}
	});

	const followUpId = await test.step('a follow-up meeting is started: the path is active again', async () => {
		const started = await coordinator.request.post(`/api/meetings/${meetingId}/follow-up`, {
			data: { kind: 'follow_up', title: 'Seurantatapaaminen – Åsa Sjöström' }
		});
		expect(started.status(), await started.text()).toBe(201);
		const { id } = (await started.json()) as { id: string };
		const history = (await (await coordinator.request.get(`/api/meetings/${id}/history`)).json()) as PathHistory;
		expect(history.retention).toMatchObject({ state: 'open', endsAt: null, deleteAfter: null });
		return id;
	});

	await test.step('nobody but the coordinator deletes the path: the client is refused, and so is nobody signed in', async () => {
		const refused = await client.request.delete(`/api/meetings/${meetingId}/path`);
		expect(refused.status()).toBe(403);
		expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden');
		const anonymous = await world.anonymous();
		expect((await anonymous.request.delete(`/api/meetings/${meetingId}/path`)).status()).toBe(401);
		// The client's page offers no deletion, and says who can.
		const page = await client.newPage();
		await page.goto(`/meetings/${meetingId}/history`);
		await expect(page.getByText(texts.fi.retention_delete_only_coordinators)).toBeVisible();
		await expect(page.getByText(texts.fi.retention_delete_label)).toHaveCount(0);
		await page.close();
	});

	await test.step('the coordinator deletes the whole path from the follow-up, after confirming', async () => {
		const context = await world.sameSession(coordinator, { language: 'sv' });
		const page = await context.newPage();
		await page.goto(`/meetings/${followUpId}/history`);
		const section = page.getByRole('region', { name: texts.sv.retention_heading });
		await expect(section.getByTestId('retention-when')).toHaveText(fill(texts.sv.retention_open, { retentionDays: '90' }));
		const confirm = section.getByRole('button', { name: texts.sv.retention_delete_confirm });
		await expect(confirm).toBeHidden();
		await section.getByText(texts.sv.retention_delete_label).click();
		// The consequence is said before anything is deleted.
		await expect(section.getByText(fill(texts.sv.retention_delete_explain, { count: '2' }))).toBeVisible();
		await expectAccessible(page, 'history with the deletion confirmation open (sv)');
		await confirm.click();
		await expect(page).toHaveURL(/\/\?pathDeleted=2$/);
		await expect(page.getByRole('status')).toHaveText(fill(texts.sv.retention_deleted, { count: '2' }));
		for (const id of [meetingId, followUpId]) {
			expect((await coordinator.request.get(`/api/meetings/${id}`)).status()).toBe(404);
		}
	});
});

test('DELETE /api/meetings/:id/path answers the deleted meetings to their coordinator', async ({ world }) => {
	const aino = await world.account('Aino Mäkelä');
	const coordinator = await world.signedIn(aino);
	const meetingId = await world.meeting('Nätverksmöte – Örjan Åkerlund', aino);
	// Another coordinator of no meeting of the path is refused: the meeting is not theirs.
	const other = await world.signedIn(await world.account('Gunnel Äikäs'));
	expect((await other.request.delete(`/api/meetings/${meetingId}/path`)).status()).toBe(403);
	const history = (await (await coordinator.request.get(`/api/meetings/${meetingId}/history`)).json()) as PathHistory;
	expect(history.retention).toMatchObject({ state: 'open', deleteAfter: null });
	const deleted = await coordinator.request.delete(`/api/meetings/${meetingId}/path`);
	expect(deleted.status()).toBe(200);
	expect((await deleted.json()) as PathDeleted).toEqual({ deleted: [meetingId] });
	expect((await coordinator.request.delete(`/api/meetings/${meetingId}/path`)).status()).toBe(404);
});
