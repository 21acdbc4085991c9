/**
 * The authorization matrix over HTTP (issue 3): each role × the meeting page and the JSON API, every
 * cell asserted — status, and the `{ error: { code, message } }` body of each refusal — against the
 * dev server and the production build. The same matrix on the Yjs and socket.io channels, and the
 * domain calls behind these routes, are tests/integration/authorization.test.ts.
 *
 * Everything is set up the way people do it: accounts and meetings with the admin command line,
 * signing in with the /login form, participants through the API, guests joining through their
 * invitation link's form. No browser is needed: Playwright's request contexts keep each role's cookie.
 */
import { request as http, type APIRequestContext, type APIResponse } from '@playwright/test';
import { admin, expect, helsinkiDay, password, test } from './fixtures';

const roles = [
	'anonymous',
	'guest of another meeting',
	'coordinator of another meeting',
	'revoked participant (guest)',
	'revoked participant (account)',
	'view participant',
	'client',
	'professional',
	'coordinator'
] as const;
type Role = (typeof roles)[number];

const cells = [
	'page GET /meetings/:id',
	'GET /api/meetings/:id',
	'POST /api/meetings/:id/participants',
	'DELETE /api/meetings/:id/participants/:pid',
	'PUT /api/meetings/:id/phase',
	'GET /api/meetings/:id/plan',
	'PUT /api/meetings/:id/responsible'
] as const;
type Cell = (typeof cells)[number];

/** An HTTP status; for the page, 303 means "to the sign-in page, and back here afterwards". */
const matrix: Record<Role, number[]> = {
	//                                   page  GET  POST  DEL  phase plan resp.
	anonymous: /*                      */ [303, 401, 401, 401, 401, 401, 401],
	'guest of another meeting': /*     */ [403, 403, 403, 403, 403, 403, 403],
	'coordinator of another meeting': /**/ [403, 403, 403, 403, 403, 403, 403],
	// The revocation ended the guest's session: anonymous again.
	'revoked participant (guest)': /*  */ [303, 401, 401, 401, 401, 401, 401],
	'revoked participant (account)': /**/ [403, 403, 403, 403, 403, 403, 403],
	'view participant': /*             */ [200, 200, 403, 403, 403, 200, 403],
	client: /*                         */ [200, 200, 403, 403, 403, 200, 403],
	professional: /*                   */ [200, 200, 403, 403, 403, 200, 403],
	coordinator: /*                    */ [200, 200, 201, 204, 200, 200, 200]
};
const errorCodes: Record<number, string> = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' };

interface World {
	meetingId: string;
	contexts: Map<Role, APIRequestContext>;
	coordinator: APIRequestContext;
	/** The professional's participant id: the responsible worker every PUT …/responsible names. */
	professionalParticipantId: string;
	all: APIRequestContext[];
}

let world: World;

test.beforeAll(async ({ dataDir }, testInfo) => {
	const baseURL = testInfo.project.use.baseURL!;
	const run = `${testInfo.project.name}.${Date.now()}`;
	const all: APIRequestContext[] = [];
	// The Origin header a browser sends: SvelteKit's origin check refuses form posts without it.
	// (And `accept: text/html` on form posts, as a browser without JavaScript sends: SvelteKit answers
	// anything else as an enhanced form, with JSON instead of the redirect.)
	const context = async () => {
		const created = await http.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
		all.push(created);
		return created;
	};
	const ok = async (response: APIResponse, status: number) => {
		expect(response.status(), `${response.url()}: ${await response.text()}`).toBe(status);
		return response;
	};

	/** An account made with the admin tool and signed in with the /login form. */
	const signedIn = async (role: 'coordinator' | 'professional', name: string) => {
		const email = `${role}.${name.split(' ')[0]!.toLowerCase()}.${run}@example.fi`.normalize('NFD').replace(/[^\x00-\x7f]/g, '');
		const userId = await admin(['user', 'add', '--email', email, '--name', name, '--role', role], dataDir, `${password}\n`);
		const ctx = await context();
		await ok(await ctx.post('/login', { form: { email, password }, headers: { accept: 'text/html' }, maxRedirects: 0 }), 303);
		return { email, userId, ctx };
	};
	const coordinator = await signedIn('coordinator', 'Aino Mäkelä');
	const otherCoordinator = await signedIn('coordinator', 'Örjan Sjöberg');
	const professional = await signedIn('professional', 'Björn Ålander');
	const revokedProfessional = await signedIn('professional', 'Jussi Källström');
	const meetingId = await admin(['meeting', 'create', '--title', 'Verkostotapaaminen: Sanna Häkkinen', '--coordinator', coordinator.email], dataDir);
	const otherMeetingId = await admin(['meeting', 'create', '--title', 'Nätverksmöte: Örjan', '--coordinator', otherCoordinator.email], dataDir);

	const add = async (by: APIRequestContext, meeting: string, body: Record<string, string>) =>
		(await (await ok(await by.post(`/api/meetings/${meeting}/participants`, { data: { presence: 'remote', access: 'edit', ...body } }), 201)).json()) as {
			id: string;
			inviteUrl: string | null;
		};
	/** A guest opens their personal link and joins with the form, as on a phone. */
	const joined = async (invite: { inviteUrl: string | null }, name: string) => {
		const ctx = await context();
		const path = new URL(invite.inviteUrl!).pathname;
		const response = await ok(await ctx.post(path, { form: { name, consent: 'kela' }, headers: { accept: 'text/html' }, maxRedirects: 0 }), 303);
		expect(response.headers().location).toMatch(/^\/meetings\//);
		return ctx;
	};

	const client = await joined(await add(coordinator.ctx, meetingId, { name: 'Sanna Häkkinen', role: 'client' }), 'Sanna Häkkinen');
	const viewer = await joined(await add(coordinator.ctx, meetingId, { name: 'Åsa Lindström', role: 'kela', access: 'view' }), 'Åsa Lindström');
	const revokedGuestInvite = await add(coordinator.ctx, meetingId, { name: 'Päivi Öhman', role: 'nurse' });
	const revokedGuest = await joined(revokedGuestInvite, 'Päivi Öhman');
	const otherGuest = await joined(await add(otherCoordinator.ctx, otherMeetingId, { name: 'Göran Öst', role: 'client' }), 'Göran Öst');
	const professionalParticipant = await add(coordinator.ctx, meetingId, {
		name: 'Björn Ålander',
		role: 'social_worker',
		userId: professional.userId
	});
	expect(professionalParticipant.inviteUrl).toBeNull();
	const revokedParticipant = await add(coordinator.ctx, meetingId, { name: 'Jussi Källström', role: 'employment', userId: revokedProfessional.userId });
	for (const id of [revokedGuestInvite.id, revokedParticipant.id]) {
		await ok(await coordinator.ctx.delete(`/api/meetings/${meetingId}/participants/${id}`), 204);
	}

	world = {
		meetingId,
		coordinator: coordinator.ctx,
		professionalParticipantId: professionalParticipant.id,
		all,
		contexts: new Map<Role, APIRequestContext>([
			['anonymous', await context()],
			['guest of another meeting', otherGuest],
			['coordinator of another meeting', otherCoordinator.ctx],
			['revoked participant (guest)', revokedGuest],
			['revoked participant (account)', revokedProfessional.ctx],
			['view participant', viewer],
			['client', client],
			['professional', professional.ctx],
			['coordinator', coordinator.ctx]
		])
	};
});

test.afterAll(async () => {
	for (const ctx of world?.all ?? []) await ctx.dispose();
});

let written = 0;

/** Makes one cell's request as `ctx`; returns the response, after checking what it did or did not change. */
async function request(ctx: APIRequestContext, cell: Cell): Promise<APIResponse> {
	const { meetingId, coordinator } = world;
	const api = `/api/meetings/${meetingId}`;
	switch (cell) {
		case 'page GET /meetings/:id':
			return ctx.get(`/meetings/${meetingId}`, { maxRedirects: 0 });
		case 'GET /api/meetings/:id':
			return ctx.get(api);
		case 'POST /api/meetings/:id/participants':
			return ctx.post(`${api}/participants`, {
				data: { name: `Väinö Kärkkäinen ${++written}`, role: 'nurse', presence: 'remote', access: 'edit' }
			});
		case 'DELETE /api/meetings/:id/participants/:pid': {
			// A participant of its own for each cell, so that no cell's revocation decides another's.
			const target = await coordinator.post(`${api}/participants`, {
				data: { name: `Eila Östlund ${++written}`, role: 'third_sector', presence: 'remote', access: 'edit' }
			});
			expect(target.status()).toBe(201);
			const { id } = (await target.json()) as { id: string };
			const response = await ctx.delete(`${api}/participants/${id}`);
			const listed = (await (await coordinator.get(api)).json()) as { participants: Array<{ id: string }> };
			expect(listed.participants.some((p) => p.id === id), 'the target is still a participant').toBe(response.status() !== 204);
			return response;
		}
		case 'PUT /api/meetings/:id/phase':
			return ctx.put(`${api}/phase`, { data: { phase: 'client_voice' } });
		case 'GET /api/meetings/:id/plan':
			return ctx.get(`${api}/plan`);
		case 'PUT /api/meetings/:id/responsible':
			return ctx.put(`${api}/responsible`, {
				data: {
					participantId: world.professionalParticipantId,
					followUpDate: helsinkiDay(30),
					followUpMode: 'call',
					contact: '040 123 4567'
				}
			});
	}
}

for (const role of roles) {
	test(`${role}: page, GET, POST participants, DELETE participant, PUT phase, GET plan, PUT responsible → ${matrix[role].join(', ')}`, async () => {
		const ctx = world.contexts.get(role)!;
		for (const [i, cell] of cells.entries()) {
			const expected = matrix[role][i]!;
			const response = await request(ctx, cell);
			expect.soft(response.status(), `${role} · ${cell}`).toBe(expected);
			if (expected === 303) {
				expect.soft(response.headers().location, `${role} · ${cell}`).toBe(`/login?next=${encodeURIComponent(`/meetings/${world.meetingId}`)}`);
			} else if (cell.startsWith('page') || expected < 400) {
				continue;
			} else {
				const body = (await response.json()) as { error?: { code?: string; message?: string } };
				expect.soft(body.error?.code, `${role} · ${cell}`).toBe(errorCodes[expected]);
				expect.soft(body.error?.message, `${role} · ${cell}`).toEqual(expect.stringMatching(/\S/));
			}
		}
	});
}

test('an unknown meeting: 404 for a signed-in user, page and API; anonymous is sent to sign in first', async () => {
	const unknown = 'eiOleOlemassaOlevaTapaaminen';
	const professional = world.contexts.get('professional')!;
	expect((await professional.get(`/meetings/${unknown}`, { maxRedirects: 0 })).status()).toBe(404);
	const api = await professional.get(`/api/meetings/${unknown}`);
	expect(api.status()).toBe(404);
	expect(((await api.json()) as { error: { code: string } }).error.code).toBe('not_found');
	const anonymous = world.contexts.get('anonymous')!;
	expect((await anonymous.get(`/meetings/${unknown}`, { maxRedirects: 0 })).status()).toBe(303);
	expect((await anonymous.get(`/api/meetings/${unknown}`)).status()).toBe(401);
});
