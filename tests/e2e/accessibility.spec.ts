/**
 * WCAG 2.1 AA (issue #7): axe-core finds no violation (tags wcag2a, wcag2aa, wcag21a, wcag21aa) on
 * every page and state, in Finnish, Swedish and English. The setup page exists only before the
 * first account: first-run.spec.ts checks it.
 */
import type { BrowserContext, Page } from '@playwright/test';
import * as Y from 'yjs';
import { addAction, addGoal, addService } from '../../src/lib/meeting/index';
import { connectProvider, synced } from '../helpers/yjs-client';
import { catalogs, expect, expectAccessible, helsinkiDay, locales, phone, test, useLanguage } from './fixtures';

const phases = ['introductions', 'client_voice', 'perspectives', 'service_map', 'plan', 'responsible_worker', 'close'] as const;

for (const language of locales) {
	const t = catalogs[language];

	test(`axe: every page and state in ${language}, zero violations`, async ({ browser, world, baseURL }) => {
		// Every page and state, each compiled on first visit by the dev server, with axe on each: about
		// two minutes on a quiet machine, three or more beside the build's project on two shared cores.
		test.setTimeout(360_000);
		const check = async (page: Page, state: string) => {
			await expect(page.locator('html')).toHaveAttribute('lang', language);
			await expectAccessible(page, `${state} (${language})`);
		};
		const anonymousContext = async (options = {}): Promise<BrowserContext> => {
			const context = await browser.newContext(options);
			await useLanguage(context, baseURL!, language);
			return context;
		};

		const coordinator = await world.account('Aino Mäkelä');
		const meetingId = await world.meeting('Verkostotapaaminen – Sanna H.', coordinator);
		const signedIn = await world.signedIn(coordinator);
		const desk = await (await world.sameSession(signedIn, { language })).newPage();
		const client = await world.invite(signedIn, meetingId, { name: 'Sanna Häkkinen', role: 'client' });
		await world.invite(signedIn, meetingId, { name: 'Pekka Östergård', role: 'employment', presence: 'remote', organisation: 'TE-palvelut' });

		await test.step('signed out: home, sign-in (empty and with errors), accessibility statement', async () => {
			const context = await anonymousContext();
			const page = await context.newPage();
			await page.goto('/');
			await check(page, 'home, signed out');
			await page.goto('/login');
			await check(page, '/login');
			await page.getByRole('button', { name: t.login_submit }).click();
			await expect(page.locator('[aria-invalid="true"]').first()).toBeVisible();
			await check(page, '/login with errors');
			await page.goto('/accessibility');
			await check(page, '/accessibility');
			await context.close();
		});

		await test.step('the client’s invitation on a phone: what is recorded, consent; then the room', async () => {
			const context = await anonymousContext(phone);
			const page = await context.newPage();
			await page.goto(client.inviteUrl);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(t.join_title);
			await check(page, '/join (client, consent)');
			await page.getByRole('group', { name: t.join_consent_legend }).getByLabel(t.consent_org_kela, { exact: true }).check();
			await page.getByRole('button', { name: t.join_submit }).click();
			await expect(page.locator('[role="status"][data-state]')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
			await check(page, 'room, the client’s large view');
			await page.getByRole('button', { name: t.hands_raise }).click();
			await expect(page.getByRole('button', { name: t.hands_lower })).toBeVisible();
			await check(page, 'room, the client’s raised hand');
			await page.goto(`/join/${'x'.repeat(43)}`);
			await check(page, '/join refused');
			await context.close();
		});

		await test.step('the coordinator’s pages', async () => {
			await desk.goto('/');
			await check(desk, 'my meetings');
			await desk.goto('/meetings/new');
			await check(desk, '/meetings/new');
			await desk.getByRole('button', { name: t.new_meeting_submit }).click();
			await expect(desk.locator('[aria-invalid="true"]').first()).toBeVisible();
			await check(desk, '/meetings/new with errors');
			await desk.goto(`/meetings/${meetingId}/participants`);
			await check(desk, 'participants');
			const form = desk.getByRole('region', { name: t.participants_add_heading });
			await form.getByLabel(t.field_participant_name, { exact: true }).fill('Jorma Kettunen');
			await form.getByRole('button', { name: t.participants_add_submit }).click();
			await expect(desk.getByLabel(t.invite_link_label)).toBeVisible();
			await check(desk, 'participants with a new invitation link and QR code');
			await desk.goto('/accounts');
			await check(desk, '/accounts');
			await desk.goto(`/meetings/${meetingId}/audit`);
			await check(desk, 'audit trail');
		});

		await test.step('the room in each of the seven phases, and the room screen', async () => {
			await desk.goto(`/meetings/${meetingId}`);
			await expect(desk.locator('[role="status"][data-state]')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
			const current = desk.getByRole('navigation', { name: t.agenda_heading }).locator('[aria-current="step"]');
			for (const phase of phases) {
				const response = await desk.request.put(`/api/meetings/${meetingId}/phase`, { data: { phase } });
				expect(response.status()).toBe(200);
				await expect(current).toContainText(t[`phase_${phase}`]);
				await check(desk, `room, phase ${phase}`);
			}
			await desk.goto(`/meetings/${meetingId}/screen`);
			await expect(desk.getByRole('heading', { level: 1 })).toHaveText(t.phase_close);
			await expect(desk.getByRole('region', { name: t.hands_heading }).getByRole('listitem')).toHaveCount(1);
			await check(desk, 'room screen with a raised hand');
		});

		await test.step('closed: the room read-only, the summary with its exports, the plan’s history', async () => {
			// The plan written by another device (a Yjs client in Node), the responsible worker named, then closed.
			const session = (await desk.context().cookies()).find((c) => c.name === 'verkosto_session')!;
			const { doc, provider } = connectProvider(`${baseURL!.replace(/^http/, 'ws')}/yjs`, meetingId, new Y.Doc(), {
				cookie: `${session.name}=${session.value}`
			});
			try {
				await synced(provider);
				const service = addService(doc, { name: 'Työkokeilu – Åbo', sector: 'employment', status: 'planned', tie: 'strong' });
				const goal = addGoal(doc, { text: 'Löydän työn, jossa jaksan.', area: 'work' });
				addAction(doc, { text: 'Haetaan työkokeilupaikkaa.', goalId: goal, serviceId: service, due: helsinkiDay(14) });
				const meeting = (await (await desk.request.get(`/api/meetings/${meetingId}`)).json()) as {
					participants: Array<{ id: string; role: string }>;
				};
				const employment = meeting.participants.find((p) => p.role === 'employment')!;
				const named = await desk.request.put(`/api/meetings/${meetingId}/responsible`, {
					data: { participantId: employment.id, followUpDate: helsinkiDay(60), followUpMode: 'visit', contact: '0295 000 000' }
				});
				expect(named.status()).toBe(200);
				// Once the server has the plan, nothing is missing from the checklist.
				await expect
					.poll(async () => ((await (await desk.request.get(`/api/meetings/${meetingId}/close`)).json()) as { missing: string[] }).missing)
					.toEqual([]);
				// The plan's actions were written without owners or dates: closing confirms them knowingly.
				const closed = await desk.request.post(`/api/meetings/${meetingId}/close`, { data: { confirmIncompleteActions: true } });
				expect(closed.status()).toBe(200);
			} finally {
				provider.destroy();
			}
			await desk.goto(`/meetings/${meetingId}`);
			await expect(desk.getByRole('heading', { name: t.close_closed_heading })).toBeVisible();
			await check(desk, 'room, closed');
			await desk.goto(`/meetings/${meetingId}/summary`);
			await expect(desk.getByText('Löydän työn, jossa jaksan.').first()).toBeVisible();
			await check(desk, 'summary of the closed plan');
			await desk.goto(`/meetings/${meetingId}/history`);
			await check(desk, 'history of the plan');
		});
	});
}
