/**
 * A guest's invitation links over the JSON API (docs/api.md, "Invitation links"): the coordinator
 * lists them, adds one for a second device without ending the first, and revokes one, which then
 * stops working while the other goes on. Only the coordinator may; nothing lists a link itself.
 * The same through the participants page is scribe-hands.spec.ts and no-javascript.spec.ts; the
 * sessions a revoked link ends are tests/integration/session-ends.test.ts.
 */
import { expect, test } from './fixtures';

interface Links {
	invites: { id: string; createdAt: string; expiresAt: string }[];
}

test('the coordinator lists, adds and revokes a guest’s invitation links over the API; others are refused', async ({ world }) => {
	const coordinator = await world.account('Ulla Åström');
	const desk = await world.signedIn(coordinator);
	const meetingId = await world.meeting('Verkostotapaaminen: Jöns Öberg', coordinator);
	const { participantId, inviteUrl: first } = await world.invite(desk, meetingId, { name: 'Jöns Öberg', role: 'client' });
	const links = `/api/meetings/${meetingId}/participants/${participantId}/invites`;

	const listed = async () => {
		const response = await desk.request.get(links);
		expect(response.status(), await response.text()).toBe(200);
		return ((await response.json()) as Links).invites;
	};
	const [original] = await listed();
	expect(original).toEqual({ id: expect.any(String), createdAt: expect.any(String), expiresAt: expect.any(String) });

	// A second link: answered once with its URL; the first link still opens the join page.
	const added = await desk.request.post(links);
	expect(added.status(), await added.text()).toBe(201);
	const second = (await added.json()) as { id: string; inviteUrl: string; expiresAt: string };
	expect(second.inviteUrl).toMatch(/\/join\/[\w-]{43}$/);
	expect(second.inviteUrl).not.toBe(first);
	const both = await listed();
	expect(both.map((link) => link.id)).toEqual([original!.id, second.id]);
	// Only when and until when: never a token.
	const body = JSON.stringify(both);
	for (const url of [first, second.inviteUrl]) expect(body).not.toContain(new URL(url).pathname.slice('/join/'.length));

	const visitor = await world.anonymous();
	const opens = async (url: string) => (await visitor.request.get(new URL(url).pathname)).status();
	expect(await opens(first)).toBe(200);
	expect(await opens(second.inviteUrl)).toBe(200);

	// Revoking the first: it is refused, the second still works and is the only one listed.
	const revoked = await desk.request.delete(`${links}/${original!.id}`);
	expect(revoked.status(), await revoked.text()).toBe(204);
	expect(await opens(first)).toBe(403);
	expect(await opens(second.inviteUrl)).toBe(200);
	expect((await listed()).map((link) => link.id)).toEqual([second.id]);
	// Again, or a link that is not theirs: 404 with a message, nothing changes.
	for (const id of [original!.id, 'ei-ole-olemassa']) {
		const again = await desk.request.delete(`${links}/${id}`);
		expect(again.status()).toBe(404);
		expect(await again.json()).toMatchObject({ error: { code: 'not_found', message: expect.stringContaining('revoked') } });
	}
	expect((await listed()).map((link) => link.id)).toEqual([second.id]);

	// Another participant of the meeting, and a visitor, may do none of it.
	const professional = await world.account('Stina Mäkinen', 'professional');
	await world.invite(desk, meetingId, { name: 'Stina Mäkinen', role: 'nurse', userId: professional.userId });
	const colleague = await world.signedIn(professional);
	for (const [context, status, code] of [
		[colleague, 403, 'forbidden'],
		[visitor, 401, 'unauthenticated']
	] as const) {
		for (const response of [
			await context.request.get(links),
			await context.request.post(links),
			await context.request.delete(`${links}/${second.id}`)
		]) {
			expect(response.status(), `${response.url()}: ${await response.text()}`).toBe(status);
			expect(await response.json()).toMatchObject({ error: { code } });
		}
	}
	expect((await listed()).map((link) => link.id)).toEqual([second.id]);
	expect(await opens(second.inviteUrl)).toBe(200);
});
