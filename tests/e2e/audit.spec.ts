/**
 * The audit trail through SvelteKit itself (issue #20 item 7, docs/audit.md): a guest's page view and
 * API read are recorded by the one hook with their session, the audit page names events in words, and
 * the coordinator downloads the trail for the client as CSV in the meeting's language (Swedish here,
 * while the coordinator reads Finnish). The same trail over Yjs, socket.io and every decision is
 * tests/integration/audit.test.ts.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { expect, fi, test } from './fixtures';

/** The audit page's own catalog file (messages/audit/), beside the main one. */
const fiAudit = JSON.parse(readFileSync(new URL('../../messages/audit/fi.json', import.meta.url), 'utf8')) as typeof import('../../messages/audit/fi.json');

test('the coordinator downloads the client’s audit trail from the audit page, in the meeting’s language', async ({ world }) => {
	const coordinator = await world.account('Åsa Sjöström');
	const desk = await world.signedIn(coordinator);
	const created = await desk.request.post('/api/meetings', {
		data: { title: 'Nätverksmöte – Eeva Ä.', scheduledAt: '', place: 'Vasa', remoteLink: '', language: 'sv' }
	});
	expect(created.status(), await created.text()).toBe(201);
	const { id: meetingId } = (await created.json()) as { id: string };
	const { inviteUrl } = await world.invite(desk, meetingId, { name: 'Eeva Äijälä', role: 'client' });
	// Opening the link shows the meeting's title to whoever holds it: that is recorded before any join.
	const opener = await world.anonymous();
	expect((await opener.request.get(new URL(inviteUrl).pathname)).status()).toBe(200);
	const client = await world.guest(inviteUrl, 'Eeva Äijälä', ['health']);

	// The client opens the meeting page and reads the plan over the API: both answered, both recorded.
	expect((await client.request.get(`/meetings/${meetingId}`)).status()).toBe(200);
	expect((await client.request.get(`/api/meetings/${meetingId}/plan`)).status()).toBe(200);

	const page = await desk.newPage();
	await page.goto(`/meetings/${meetingId}/audit`);
	const table = page.getByRole('table');
	// Labels, not raw keys; the client's reads with the client's name.
	await expect(table.getByRole('row').filter({ hasText: 'Eeva Äijälä' }).filter({ hasText: fi.audit_action_meeting_viewed })).toHaveCount(2);
	await expect(table).not.toContainText('meeting_viewed');
	await expect(table.getByRole('row').filter({ hasText: fiAudit.audit_action_invite_opened }).filter({ hasText: 'Eeva Äijälä' })).toHaveCount(1);

	const download = page.waitForEvent('download');
	await page.getByRole('link', { name: fiAudit.audit_download_meeting }).click();
	const file = await (await download).path();
	const csv = (await readFile(file!, 'utf8')).replace(/^\uFEFF/, '');
	const rows = csv.trim().split('\r\n');
	expect(rows[0]).toBe('"Tid","Möte","Händelse","Vem","Session","Mer information"');
	const clientReads = rows.filter((row) => row.includes('"Eeva Äijälä"') && row.includes('"Öppnade mötet"'));
	expect(clientReads).toHaveLength(2);
	expect(clientReads.some((row) => row.includes('Visat: planen'))).toBe(true);
	// Each read names the client's session: the same short reference for both.
	const sessions = new Set(clientReads.map((row) => /"([0-9a-f]{12})"/.exec(row)?.[1]));
	expect(sessions.size).toBe(1);
	expect([...sessions][0]).toMatch(/^[0-9a-f]{12}$/);
	// Looking at the page and downloading are in the trail too.
	expect(rows.filter((row) => row.includes('"En inbjudningslänk öppnades"') && row.includes('Eeva Äijälä'))).toHaveLength(1);
	expect(csv).toContain('"Tittade på loggen"');
	expect(csv).toContain('"Laddade ner loggen"');
});
