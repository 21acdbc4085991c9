/**
 * The authorization matrix (issue 3): every role × every channel × every action, each cell asserted
 * against the real server — a real session cookie, resolved by the server the way each channel does
 * it, through the one Policy.
 *
 * Channels covered here:
 * - Yjs `/yjs/<id>`: a stock y-websocket provider with the role's cookie; the close code, or what
 *   the peer may do once in (read the document; write into it).
 * - socket.io: a real client with the role's cookie; the ack of `meeting:join`, `room:phase`, `room:hand`
 *   (`unauthenticated` without a valid session: the handshake itself is refused then).
 * - the JSON API's decisions: the routes under src/routes/api/ are SvelteKit's, which the test
 *   server does not serve (Vitest would need a fresh `npm run build`, and a stale build would test
 *   yesterday's code). Each route is a thin shell — parse, resolve the cookie, call one domain
 *   service, map the DomainError to its status — so here the cookie is resolved by the server
 *   (`app.principalOf`, what hooks.server.ts calls) and the same services are called as the route
 *   does; the cell asserts the DomainError's code and HTTP status. The HTTP layer itself (statuses,
 *   error bodies) and the pages are asserted by Playwright against the dev server and the build:
 *   tests/e2e/api-authorization.spec.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../src/lib/protocol/close-codes.js';
import { DomainError } from '../../server/errors.js';
import { addMonths, helsinkiToday } from '../../server/follow-up.js';
import type { Principal } from '../../server/policy.js';
import { account, guest, meetingWithCoordinator, names, type Account } from '../helpers/people.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { admit, Clients, connectSocket, handled, removeDir, type RealtimeSocket } from './support.js';

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

/** What a cell expects: allowed, or the refusal's code (401 unauthenticated, 403 forbidden). */
type Verdict = 'ok' | 'unauthenticated' | 'forbidden';
const ok = 'ok';
const U = 'unauthenticated';
const F = 'forbidden';

/** The Yjs endpoint: a close code, or what an admitted peer can do. */
type YjsVerdict = `close ${number}` | 'reads, writes' | 'reads, cannot write';

const apiActions = [
	'GET /api/meetings/:id',
	'POST /api/meetings/:id/participants',
	'DELETE /api/meetings/:id/participants/:pid',
	'PUT /api/meetings/:id/phase',
	'GET /api/meetings/:id/plan',
	'PUT /api/meetings/:id/responsible'
] as const;
const socketActions = ['meeting:join', 'room:phase', 'room:hand'] as const;

interface Row {
	api: Record<(typeof apiActions)[number], Verdict>;
	yjs: YjsVerdict;
	socket: Record<(typeof socketActions)[number], Verdict>;
}

function row(api: Verdict[], yjs: YjsVerdict, socket: Verdict[]): Row {
	return {
		api: Object.fromEntries(apiActions.map((action, i) => [action, api[i]!])) as Row['api'],
		yjs,
		socket: Object.fromEntries(socketActions.map((action, i) => [action, socket[i]!])) as Row['socket']
	};
}

/**
 * The matrix. A revoked guest's session ended with the revocation, so it is anonymous again (401,
 * 4401); a revoked account still has its session, but no access (403, 4403). A `view` participant
 * reads everything and writes nothing; raising a hand is not writing (DESIGN.md: any participant
 * may raise a hand). Decisions are the meeting coordinator's alone.
 */
const matrix: Record<Role, Row> = {
	//                                     GET mtg POST p DEL p  phase  plan  resp.             Yjs                 join  phase  hand
	anonymous: /*                      */ row([U, U, U, U, U, U], `close ${CloseCode.Unauthenticated}`, [U, U, U]),
	'guest of another meeting': /*     */ row([F, F, F, F, F, F], `close ${CloseCode.Forbidden}`, [F, F, F]),
	'coordinator of another meeting': /**/ row([F, F, F, F, F, F], `close ${CloseCode.Forbidden}`, [F, F, F]),
	'revoked participant (guest)': /*  */ row([U, U, U, U, U, U], `close ${CloseCode.Unauthenticated}`, [U, U, U]),
	'revoked participant (account)': /**/ row([F, F, F, F, F, F], `close ${CloseCode.Forbidden}`, [F, F, F]),
	'view participant': /*             */ row([ok, F, F, F, ok, F], 'reads, cannot write', [ok, F, ok]),
	client: /*                         */ row([ok, F, F, F, ok, F], 'reads, writes', [ok, F, ok]),
	professional: /*                   */ row([ok, F, F, F, ok, F], 'reads, writes', [ok, F, ok]),
	coordinator: /*                    */ row([ok, ok, ok, ok, ok, ok], 'reads, writes', [ok, ok, ok])
};

let srv: TestServer;
const clients = new Clients(() => srv.yjsUrl);
const sockets: RealtimeSocket[] = [];
let meetingId: string;
let coordinator: Account;
/** The professional participant: the responsible worker every allowed PUT …/responsible names. */
let professionalParticipantId: string;
/** Each role's session cookie (none for anonymous). */
const cookies = new Map<Role, string | undefined>();
/** The coordinator's provider, watching what reaches other peers. */
let observer: ReturnType<Clients['connect']>;
const clientVoiceText = `${names.client}: haluan takaisin työelämään, osa-aikaisesti aluksi.`;

beforeAll(async () => {
	srv = await startServer({ unloadDelayMs: 50 });
	const app = srv.app;
	const here = await meetingWithCoordinator(app, 'Verkostotapaaminen: Sanna Häkkinen');
	meetingId = here.meeting.id;
	coordinator = here.coordinator;
	const elsewhere = await meetingWithCoordinator(app, 'Nätverksmöte: Örjan Sjöberg');

	const otherGuest = await guest(app, elsewhere.meeting.id, elsewhere.coordinator, { name: 'Örjan Sjöberg' });
	const viewer = await guest(app, meetingId, coordinator, { role: 'kela', access: 'view', name: names.kela });
	const client = await guest(app, meetingId, coordinator, { role: 'client', name: names.client });
	const revokedGuest = await guest(app, meetingId, coordinator, { role: 'nurse', name: names.nurse });
	await app.participation.revoke(coordinator.principal, meetingId, revokedGuest.participant.id);

	const professional = await account(app, 'professional', names.professional);
	professionalParticipantId = app.participation.addParticipant(coordinator.principal, meetingId, {
		name: names.professional,
		role: 'social_worker',
		organisation: 'Sosiaalipalvelut',
		presence: 'room',
		access: 'edit',
		userId: professional.userId
	}).participant.id;
	const revokedAccount = await account(app, 'professional', 'Jussi Källström');
	const revokedAccountParticipant = app.participation.addParticipant(coordinator.principal, meetingId, {
		name: 'Jussi Källström',
		role: 'employment',
		organisation: 'Työllisyyspalvelut',
		presence: 'remote',
		access: 'edit',
		userId: revokedAccount.userId
	}).participant;
	await app.participation.revoke(coordinator.principal, meetingId, revokedAccountParticipant.id);

	cookies.set('anonymous', undefined);
	cookies.set('guest of another meeting', otherGuest.cookie);
	cookies.set('coordinator of another meeting', elsewhere.coordinator.cookie);
	cookies.set('revoked participant (guest)', revokedGuest.cookie);
	cookies.set('revoked participant (account)', revokedAccount.cookie);
	cookies.set('view participant', viewer.cookie);
	cookies.set('client', client.cookie);
	cookies.set('professional', professional.cookie);
	cookies.set('coordinator', coordinator.cookie);

	observer = clients.connect(meetingId, new Y.Doc(), { cookie: coordinator.cookie });
	const admitted = await admit(clients, meetingId, coordinator.cookie);
	if (!admitted.synced) throw new Error(`the coordinator was refused: ${admitted.code}`);
	admitted.doc.getText('clientVoice').insert(0, clientVoiceText);
	await handled(admitted.provider);
	clients.destroy(admitted.provider);
	await handled(observer.provider);
});

afterEach(() => {
	for (const socket of sockets.splice(0)) socket.disconnect();
});

afterAll(async () => {
	clients.destroyAll();
	await srv?.close();
	if (srv) removeDir(srv.dataDir);
});

/** Who the server says a cookie belongs to: the same resolution hooks.server.ts makes for every request. */
const principalOf = (role: Role): Promise<Principal> => srv.app.principalOf(cookies.get(role));

/** Runs a domain call; 'ok', or the DomainError's code after checking that its HTTP status fits. */
async function verdictOf(call: () => unknown): Promise<string> {
	try {
		await call();
		return ok;
	} catch (error) {
		if (!(error instanceof DomainError)) throw error;
		expect(error.status).toBe({ unauthenticated: 401, forbidden: 403 }[error.code as string] ?? error.status);
		expect(error.message.length).toBeGreaterThan(0);
		return error.code;
	}
}

let written = 0;

/**
 * Each API action as its route handler makes it (src/routes/api/meetings/[id]/…), plus what must
 * have happened when it was allowed and must not have happened when it was refused.
 */
const api: Record<(typeof apiActions)[number], (principal: Principal) => Promise<string>> = {
	'GET /api/meetings/:id': async (principal) => {
		let seen: unknown;
		const verdict = await verdictOf(() => {
			const { meeting } = srv.app.participation.view(principal, meetingId, 'api');
			seen = { title: meeting.title, participants: srv.app.participation.participants(principal, meetingId).length };
		});
		if (verdict === ok) expect(seen).toEqual({ title: 'Verkostotapaaminen: Sanna Häkkinen', participants: expect.any(Number) });
		return verdict;
	},
	'POST /api/meetings/:id/participants': async (principal) => {
		const name = `Väinö Kärkkäinen ${++written}`;
		const verdict = await verdictOf(() =>
			srv.app.participation.addParticipant(principal, meetingId, {
				name,
				role: 'nurse',
				organisation: 'Hyvinvointialue',
				presence: 'remote',
				access: 'edit'
			})
		);
		expect(srv.app.participants.list(meetingId).some((p) => p.name === name)).toBe(verdict === ok);
		return verdict;
	},
	'DELETE /api/meetings/:id/participants/:pid': async (principal) => {
		// A participant of its own for each cell, so that one cell's revocation cannot decide another's.
		const target = srv.app.participation.addParticipant(coordinator.principal, meetingId, {
			name: `Eila Östlund ${++written}`,
			role: 'third_sector',
			organisation: 'Mielenterveysyhdistys',
			presence: 'remote',
			access: 'edit'
		}).participant;
		const verdict = await verdictOf(() => srv.app.participation.revoke(principal, meetingId, target.id));
		expect(srv.app.participants.get(target.id)?.revoked).toBe(verdict === ok);
		return verdict;
	},
	'PUT /api/meetings/:id/phase': async (principal) => {
		srv.app.db.prepare('UPDATE meetings SET phase = ? WHERE id = ?').run('introductions', meetingId);
		const verdict = await verdictOf(() => srv.app.room.setPhase(srv.app.participation.access(principal, meetingId), 'client_voice'));
		expect(srv.app.room.decisions(meetingId).phase).toBe(verdict === ok ? 'client_voice' : 'introductions');
		return verdict;
	},
	'GET /api/meetings/:id/plan': async (principal) => {
		let plan: { clientVoice: string } | undefined;
		const verdict = await verdictOf(async () => {
			srv.app.participation.view(principal, meetingId, 'api');
			plan = await srv.app.plan(meetingId);
		});
		if (verdict === ok) expect(plan?.clientVoice).toBe(clientVoiceText);
		return verdict;
	},
	'PUT /api/meetings/:id/responsible': async (principal) => {
		srv.app.db.prepare('UPDATE meetings SET responsible_participant_id = NULL, follow_up_date = NULL WHERE id = ?').run(meetingId);
		const followUpDate = addMonths(helsinkiToday(), 1);
		const verdict = await verdictOf(() =>
			srv.app.followUp.set(srv.app.participation.access(principal, meetingId), {
				participantId: professionalParticipantId,
				followUpDate,
				followUpMode: 'call',
				contact: '040 123 4567, bjorn.alander@example.fi'
			})
		);
		expect(srv.app.followUp.get(meetingId)?.followUpDate ?? null).toBe(verdict === ok ? followUpDate : null);
		return verdict;
	}
};

/** Connects a stock provider as `role`: refused with a code, or admitted — then may it read, may it write? */
async function yjs(role: Role): Promise<YjsVerdict> {
	const admission = await admit(clients, meetingId, cookies.get(role));
	if (!admission.synced) return `close ${admission.code}`;
	try {
		expect(admission.doc.getText('clientVoice').toString()).toBe(clientVoiceText);
		const key = `kysymys-${++written}`;
		admission.doc.getMap<string>('openQuestions').set(key, `${role}: kuka varaa seuraavan ajan?`);
		// Once the server answered both peers in order, a write it accepted has been stored,
		// applied and relayed to the observer; one it dropped never will be.
		await handled(admission.provider);
		await handled(observer.provider);
		const onServer = srv.app.documents.get(meetingId)!.doc.getMap('openQuestions').has(key);
		const atObserver = observer.doc.getMap('openQuestions').has(key);
		expect(atObserver, 'the observer must see exactly what the server accepted').toBe(onServer);
		return onServer ? 'reads, writes' : 'reads, cannot write';
	} finally {
		clients.destroy(admission.provider);
	}
}

/** A socket.io client as `role` sends one event; 'ok' or the ack's error code. */
async function socket(role: Role, action: (typeof socketActions)[number]): Promise<string> {
	// Without a valid session the handshake itself is refused (issue 20, item 3): no event is sent.
	const client = await connectSocket(srv.url, cookies.get(role)).catch(() => null);
	if (!client) return U;
	sockets.push(client);
	const ack =
		action === 'meeting:join'
			? await client.emitWithAck('meeting:join', { meetingId })
			: action === 'room:phase'
				? await client.emitWithAck('room:phase', { meetingId, phase: 'perspectives' })
				: await client.emitWithAck('room:hand', { meetingId, raised: true });
	if (ack.ok) return ok;
	expect(ack.error.message.length).toBeGreaterThan(0);
	return ack.error.code;
}

describe.each(roles)('%s', (role) => {
	const expected = matrix[role];

	describe('JSON API (the route’s domain call)', () => {
		it.each(apiActions.map((action) => [action, expected.api[action]] as const))('%s → %s', async (action, verdict) => {
			expect(await api[action](await principalOf(role))).toBe(verdict);
		});
	});

	it(`Yjs /yjs/<id> → ${expected.yjs}`, async () => {
		expect(await yjs(role)).toBe(expected.yjs);
	});

	describe('socket.io', () => {
		it.each(socketActions.map((action) => [action, expected.socket[action]] as const))('%s → %s', async (action, verdict) => {
			expect(await socket(role, action)).toBe(verdict);
		});
	});
});

it('the matrix names every role and no other', () => {
	expect(Object.keys(matrix).sort()).toEqual([...roles].sort());
	expect(cookies.size).toBe(roles.length);
});
