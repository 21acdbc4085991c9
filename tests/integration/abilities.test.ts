/**
 * Who may do what (issue 19): the ability table, every cell written out here by hand — each role ×
 * access × meeting state × ability — and asserted twice: against the Policy's pure function, and
 * against what a real server grants each participant's session. Then every channel is made to
 * enforce it, cell by cell, before and after closing: the domain calls the JSON API and the form
 * actions make, the JSON API's route handlers and the participants page's form actions themselves
 * (a real Request with the session's principal), socket.io events, and Yjs writes. After closing,
 * every decision is refused with 409 and the live plan stays the hashed version.
 *
 * The same refusals over real HTTP (status, error body, the localized form message) are
 * tests/e2e/closed-meeting.spec.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { canonicalJson, sha256 } from '../../server/canonical.js';
import { DomainError } from '../../server/errors.js';
import { readPlan } from '../../server/plan.js';
import { exportMeeting } from '../../server/exports/index.js';
import { addMonths, helsinkiToday } from '../../server/follow-up.js';
import { abilitiesOf, type Principal, type MeetingAccess } from '../../server/policy.js';
import { clientVoice } from '../../src/lib/meeting/index.js';
import { abilityNames, type AbilityName, type MeetingState } from '../../src/lib/protocol/abilities.js';
import type { Access, ParticipantRole } from '../../src/lib/protocol/participants.js';
import { guest, type Account } from '../helpers/people.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { closeAsCoordinator, eventually, planMeeting } from './plans.js';
import { connectSocket, handled, removeDir, type RealtimeSocket } from './support.js';
import { connectProvider, synced } from '../helpers/yjs-client.js';
import * as phaseRoute from '../../src/routes/api/meetings/[id]/phase/+server.js';
import * as responsibleRoute from '../../src/routes/api/meetings/[id]/responsible/+server.js';
import * as workAbilityRoute from '../../src/routes/api/meetings/[id]/work-ability/+server.js';
import * as evaluationRoute from '../../src/routes/api/meetings/[id]/evaluation/+server.js';
import * as participantsRoute from '../../src/routes/api/meetings/[id]/participants/+server.js';
import * as participantsPage from '../../src/routes/meetings/[id]/participants/+page.server.js';

/** The roles in the table's column order (the same list as the protocol's, written out). */
const roles = ['client', 'coordinator', 'nurse', 'social_worker', 'doctor', 'employment', 'kela', 'third_sector', 'peer_supporter', 'other'] as const;
const accesses = ['edit', 'view'] as const;

/**
 * The table. Each row is one ability; each pair of marks one role, `edit` then `view`, in the order
 * of `roles`: `x` may, `.` may not.
 */
const table: Record<MeetingState, string> = {
	//                      client coord nurse social doctor employ kela  third peer  other
	open: `
	read                    xx     xx    xx    xx     xx     xx     xx    xx    xx    xx
	editContent             x.     x.    x.    x.     x.     x.     x.    x.    x.    x.
	movePhase               ..     x.    ..    ..     ..     ..     ..    ..    ..    ..
	giveTurn                ..     x.    ..    ..     ..     ..     ..    ..    ..    ..
	pinScreen               ..     x.    ..    ..     ..     ..     ..    ..    ..    ..
	raiseHand               xx     xx    xx    xx     xx     xx     xx    xx    xx    xx
	setResponsibleWorker    ..     x.    ..    ..     ..     ..     ..    ..    ..    ..
	recordWorkAbility       x.     x.    ..    ..     ..     ..     ..    ..    ..    ..
	rateGoals               x.     x.    x.    x.     x.     x.     x.    x.    x.    x.
	rateGoalsAsClient       x.     x.    ..    ..     ..     ..     ..    ..    ..    ..
	rateGoalsAsWorker       ..     x.    x.    x.     x.     x.     x.    x.    x.    x.
	answerHeard             x.     x.    ..    ..     ..     ..     ..    ..    ..    ..
	recordConsent           x.     x.    ..    ..     ..     ..     ..    ..    ..    ..
	manageParticipants      ..     x.    ..    ..     ..     ..     ..    ..    ..    ..
	revokeParticipant       ..     x.    ..    ..     ..     ..     ..    ..    ..    ..
	close                   ..     x.    ..    ..     ..     ..     ..    ..    ..    ..
	startFollowUp           ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	export                  ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	viewAudit               ..     x.    ..    ..     ..     ..     ..    ..    ..    ..
	deleteMeeting           ..     x.    ..    ..     ..     ..     ..    ..    ..    ..
	writeOnBehalf           ..     x.    ..    ..     ..     ..     ..    ..    ..    ..
	`,
	//                      client coord nurse social doctor employ kela  third peer  other
	closed: `
	read                    xx     xx    xx    xx     xx     xx     xx    xx    xx    xx
	editContent             ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	movePhase               ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	giveTurn                ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	pinScreen               ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	raiseHand               ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	setResponsibleWorker    ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	recordWorkAbility       ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	rateGoals               ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	rateGoalsAsClient       ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	rateGoalsAsWorker       ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	answerHeard             ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	recordConsent           ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	manageParticipants      ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	revokeParticipant       ..     x.    ..    ..     ..     ..     ..    ..    ..    ..
	close                   ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	startFollowUp           ..     x.    ..    ..     ..     ..     ..    ..    ..    ..
	export                  xx     xx    xx    xx     xx     xx     xx    xx    xx    xx
	viewAudit               ..     x.    ..    ..     ..     ..     ..    ..    ..    ..
	deleteMeeting           ..     x.    ..    ..     ..     ..     ..    ..    ..    ..
	writeOnBehalf           ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	`,
	//                      client coord nurse social doctor employ kela  third peer  other
	deleted: `
	read                    ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	editContent             ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	movePhase               ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	giveTurn                ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	pinScreen               ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	raiseHand               ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	setResponsibleWorker    ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	recordWorkAbility       ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	rateGoals               ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	rateGoalsAsClient       ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	rateGoalsAsWorker       ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	answerHeard             ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	recordConsent           ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	manageParticipants      ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	revokeParticipant       ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	close                   ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	startFollowUp           ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	export                  ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	viewAudit               ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	deleteMeeting           ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	writeOnBehalf           ..     ..    ..    ..     ..     ..     ..    ..    ..    ..
	`
};

type Cell = { role: ParticipantRole; access: Access };
const cells: Cell[] = roles.flatMap((role) => accesses.map((access) => ({ role, access })));
const label = ({ role, access }: Cell) => `${role}/${access}`;

/** Reads the table: state → ability → "role/access" → may. Refuses a malformed table loudly. */
function parse(): Record<MeetingState, Record<AbilityName, Record<string, boolean>>> {
	const result = {} as Record<MeetingState, Record<AbilityName, Record<string, boolean>>>;
	for (const [state, text] of Object.entries(table) as [MeetingState, string][]) {
		const rows = {} as Record<AbilityName, Record<string, boolean>>;
		for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
			const [name, ...pairs] = line.split(/\s+/);
			const marks = pairs.join('');
			if (marks.length !== cells.length || /[^x.]/.test(marks)) throw new Error(`table ${state}, ${name}: ${marks.length} marks`);
			rows[name as AbilityName] = Object.fromEntries(cells.map((cell, i) => [label(cell), marks[i] === 'x']));
		}
		expect(Object.keys(rows).sort(), `the ${state} table names every ability once`).toEqual([...abilityNames].sort());
		result[state] = rows;
	}
	return result;
}
const expected = parse();
const may = (state: MeetingState, ability: AbilityName, cell: Cell) => expected[state][ability][label(cell)]!;

/**
 * What a channel answers, from the table alone: allowed; 409 when the meeting's state is the reason
 * (the same person could do it in the other state); else 403.
 */
function outcome(state: 'open' | 'closed', ability: AbilityName, cell: Cell): 'ok' | 'conflict' | 'forbidden' {
	if (may(state, ability, cell)) return 'ok';
	return may(state === 'open' ? 'closed' : 'open', ability, cell) ? 'conflict' : 'forbidden';
}

describe('the ability table, cell by cell, against the pure function', () => {
	for (const state of ['open', 'closed', 'deleted'] as const) {
		for (const cell of cells) {
			it(`${state}: ${label(cell)}`, () => {
				const actual = abilitiesOf(cell.role, cell.access, state);
				for (const ability of abilityNames) {
					expect(actual[ability], `${state} · ${label(cell)} · ${ability}`).toBe(may(state, ability, cell));
				}
			});
		}
	}
});

// ---------------------------------------------------------------------------------------------
// A real closing meeting with one participant for every role × access, each with their own session.

interface Person extends Cell {
	participantId: string;
	cookie: string;
	principal: Principal;
}

let srv: TestServer;
let meetingId: string;
let coordinator: Account;
let goalId: string;
let responsibleId: string;
const people: Person[] = [];
/** Participants made only to be removed: each allowed revocation takes one. */
const removable: string[] = [];
const providers: WebsocketProvider[] = [];
/** Each person's Yjs connection, opened while the meeting was open. */
const openConnections = new Map<Person, { doc: Y.Doc; provider: WebsocketProvider }>();
const sockets: RealtimeSocket[] = [];

const accessOf = (person: Person): MeetingAccess => srv.app.participation.access(person.principal, meetingId);
const codeOf = async (attempt: () => unknown): Promise<string> => {
	try {
		await attempt();
		return 'ok';
	} catch (error) {
		if (error instanceof DomainError) return error.code;
		throw error;
	}
};

beforeAll(async () => {
	srv = await startServer({ unloadDelayMs: 50 });
	const app = srv.app;
	// The closing meeting of a service path: it starts from the first meeting's closed plan.
	const first = await planMeeting(srv);
	providers.push(first.provider);
	await closeAsCoordinator(srv, first);
	coordinator = first.coordinator;
	const { meeting } = await app.closing.startNext(app.participation.access(coordinator.principal, first.meeting.id), coordinator.principal, {
		kind: 'closing',
		title: 'Päätöstapaaminen – Sanna H.'
	});
	meetingId = meeting.id;
	goalId = first.ids.goals[0]!;
	const names: Record<ParticipantRole, string> = {
		client: 'Sanna Häkkinen',
		coordinator: 'Aino Mäkelä',
		nurse: 'Päivi Öhman',
		social_worker: 'Björn Ålander',
		doctor: 'Göran Sjöström',
		employment: 'Jussi Källström',
		kela: 'Åsa Lindström',
		third_sector: 'Märta Östberg',
		peer_supporter: 'Väinö Äijälä',
		other: 'Örjan Ek'
	};
	for (const cell of cells) {
		const joined = await guest(app, meetingId, coordinator, {
			role: cell.role,
			access: cell.access,
			name: `${names[cell.role]} (${cell.access})`,
			organisation: cell.role === 'client' ? '' : 'Sote-keskus'
		});
		people.push({ ...cell, participantId: joined.participant.id, cookie: joined.cookie, principal: await app.principalOf(joined.cookie) });
	}
	responsibleId = people.find((p) => p.role === 'kela' && p.access === 'edit')!.participantId;
	for (let i = 0; i < 4; i++) {
		removable.push(
			app.participation.addParticipant(coordinator.principal, meetingId, { name: `Kävijä ${i + 1}`, role: 'other', organisation: '', presence: 'remote', access: 'view' })
				.participant.id
		);
	}
});

afterAll(async () => {
	for (const socket of sockets) socket.disconnect();
	for (const provider of providers) provider.destroy();
	await srv?.close();
	if (srv) removeDir(srv.dataDir);
});

/** Each decision a channel offers, as the JSON API and the form actions call it. */
const domainAttempts: Partial<Record<AbilityName, (person: Person) => unknown>> = {
	read: (p) => srv.app.participation.view(p.principal, meetingId, 'api'),
	movePhase: (p) => srv.app.room.setPhase(accessOf(p), 'service_map'),
	giveTurn: (p) => srv.app.room.giveTurn(accessOf(p), null),
	pinScreen: (p) => srv.app.room.pinScreen(accessOf(p), 'service_map'),
	raiseHand: (p) => srv.app.room.raiseHand(accessOf(p)),
	setResponsibleWorker: (p) =>
		srv.app.followUp.set(accessOf(p), { participantId: responsibleId, followUpDate: addMonths(helsinkiToday(), 1), followUpMode: 'call', contact: '020 634 0000' }),
	recordWorkAbility: (p) => srv.app.followUp.setWorkAbility(accessOf(p), 6),
	rateGoalsAsClient: (p) => srv.app.closing.rateGoal(accessOf(p), goalId, 'client', 1),
	rateGoalsAsWorker: (p) => srv.app.closing.rateGoal(accessOf(p), goalId, 'worker', 0),
	answerHeard: (p) => srv.app.closing.recordHeard(accessOf(p), 'yes'),
	recordConsent: (p) => srv.app.clientConsent.change(accessOf(p), p.principal, ['kela']),
	manageParticipants: (p) =>
		srv.app.participation.addParticipant(p.principal, meetingId, { name: 'Elsa Öberg', role: 'other', organisation: '', presence: 'remote', access: 'view' }),
	revokeParticipant: (p) => srv.app.participation.revoke(p.principal, meetingId, removable.at(-1)!).then(() => removable.pop()),
	export: (p) => exportMeeting(srv.app, p.principal, meetingId, 'json'),
	viewAudit: (p) => srv.app.participation.auditTrail(p.principal, meetingId)
};

/** Socket.io events and the ability each asks for. */
const socketAttempts: Array<[string, AbilityName, (socket: RealtimeSocket, other: string) => Promise<{ ok: boolean; error?: { code: string } }>]> = [
	['room:phase', 'movePhase', (s) => s.emitWithAck('room:phase', { meetingId, phase: 'plan' })],
	['room:turn', 'giveTurn', (s) => s.emitWithAck('room:turn', { meetingId, participantId: null })],
	['room:clear-hands', 'giveTurn', (s) => s.emitWithAck('room:clear-hands', { meetingId })],
	['room:pin-screen', 'pinScreen', (s) => s.emitWithAck('room:pin-screen', { meetingId, section: 'plan' })],
	['room:lower-hand (someone else’s)', 'giveTurn', (s, other) => s.emitWithAck('room:lower-hand', { meetingId, participantId: other })],
	['room:hand', 'raiseHand', (s) => s.emitWithAck('room:hand', { meetingId, raised: true })]
];

/** A JSON API route handler called with a real Request, as SvelteKit calls it for this session. */
async function api(
	handler: (event: never) => Response | Promise<Response>,
	person: Person,
	method: string,
	path: string,
	body?: unknown,
	params: Record<string, string> = {}
): Promise<{ status: number; body: { error?: { code: string; reason?: string } } }> {
	const url = new URL(`${srv.url}/api/meetings/${meetingId}${path}`);
	const request = new Request(url, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
	const event = { request, url, params: { id: meetingId, ...params }, locals: { app: srv.app, principal: person.principal } };
	const response = await handler(event as never);
	return { status: response.status, body: response.status === 204 ? {} : await response.json() };
}

/** A form action of the participants page, called with a real form post for this session. */
async function formAction(name: 'add' | 'addAccount' | 'reissue' | 'revoke', person: Person, fields: Record<string, string>) {
	const url = new URL(`${srv.url}/meetings/${meetingId}/participants?/${name}`);
	const request = new Request(url, { method: 'POST', body: new URLSearchParams(fields) });
	const action = participantsPage.actions[name] as (event: never) => Promise<unknown>;
	try {
		return await action({ request, url, params: { id: meetingId }, locals: { app: srv.app, principal: person.principal } } as never);
	} catch (thrown) {
		// SvelteKit's `error(403)` and redirects are thrown objects with a status.
		return { thrown: (thrown as { status?: number }).status ?? thrown };
	}
}

const coordinatorGuest = () => people.find((p) => p.role === 'coordinator' && p.access === 'edit')!;

describe.sequential('every channel enforces the table', () => {
	it('the server grants each session exactly its row of the open table', () => {
		for (const person of people) {
			const verdict = srv.app.policy.meeting(person.principal, meetingId);
			expect(verdict.ok, label(person)).toBe(true);
			if (!verdict.ok) continue;
			for (const ability of abilityNames) {
				expect(verdict.access.abilities[ability], `open · ${label(person)} · ${ability}`).toBe(may('open', ability, person));
			}
		}
	});

	it('open: each domain decision, as the API and the forms call it, is allowed or refused per cell', async () => {
		for (const person of people) {
			for (const [ability, attempt] of Object.entries(domainAttempts) as [AbilityName, (p: Person) => unknown][]) {
				const expectedCode = outcome('open', ability, person);
				expect(await codeOf(() => attempt(person)), `open · ${label(person)} · ${ability}`).toBe(expectedCode);
			}
			// Closing is tried last, below, by the one who may: here only the refusals.
			if (!may('open', 'close', person)) {
				expect(await codeOf(() => srv.app.closing.close(accessOf(person), person.principal)), `open · ${label(person)} · close`).toBe('forbidden');
			}
			expect(
				await codeOf(() => srv.app.closing.startNext(accessOf(person), person.principal, { kind: 'follow_up', title: 'Seuranta' })),
				`open · ${label(person)} · startFollowUp`
			).toBe(outcome('open', 'startFollowUp', person));
		}
	});

	it('open: each socket.io decision is acknowledged or refused per cell', async () => {
		const someoneElse = people[0]!.participantId;
		for (const person of people) {
			const socket = await connectSocket(srv.url, person.cookie);
			sockets.push(socket);
			expect((await socket.emitWithAck('meeting:join', { meetingId })).ok, label(person)).toBe(true);
			for (const [event, ability, emit] of socketAttempts) {
				const other = person.participantId === someoneElse ? people[1]!.participantId : someoneElse;
				const ack = await emit(socket, other);
				expect(ack.ok ? 'ok' : ack.error?.code, `open · ${label(person)} · ${event}`).toBe(outcome('open', ability, person));
			}
			socket.disconnect();
		}
	});

	it('open: a Yjs write reaches the document from exactly the sessions that may edit content', async () => {
		const written = new Map<string, string>();
		for (const person of people) {
			const { doc, provider } = connectProvider(srv.yjsUrl, meetingId, new Y.Doc(), { cookie: person.cookie });
			providers.push(provider);
			openConnections.set(person, { doc, provider });
			await synced(provider);
			const marker = `[${label(person)}]`;
			written.set(label(person), marker);
			clientVoice(doc).insert(0, marker);
			await handled(provider);
		}
		await eventually(async () => {
			const voice = (await srv.app.plan(meetingId)).clientVoice;
			for (const person of people) {
				expect(voice.includes(written.get(label(person))!), `open · ${label(person)} · editContent`).toBe(may('open', 'editContent', person));
			}
		});
	});

	it('the coordinator (edit) closes; the table’s closed row is what each session is granted now', async () => {
		const version = await srv.app.closing.close(accessOf(coordinatorGuest()), coordinatorGuest().principal, { confirmIncompleteActions: true });
		expect(version.hash).toMatch(/^[0-9a-f]{64}$/);
		for (const person of people) {
			const verdict = srv.app.policy.meeting(person.principal, meetingId);
			if (!verdict.ok) throw new Error(`${label(person)} lost access`);
			for (const ability of abilityNames) {
				expect(verdict.access.abilities[ability], `closed · ${label(person)} · ${ability}`).toBe(may('closed', ability, person));
			}
		}
	});

	it('closed: every domain decision is refused with 409 (403 where it never was allowed); reading, export and audit remain', async () => {
		for (const person of people) {
			for (const [ability, attempt] of Object.entries(domainAttempts) as [AbilityName, (p: Person) => unknown][]) {
				expect(await codeOf(() => attempt(person)), `closed · ${label(person)} · ${ability}`).toBe(outcome('closed', ability, person));
			}
			// A guest's session opens only its own meeting: starting the next one needs an account
			// (docs/abilities.md). The coordinator guest is refused for that reason alone.
			const startNext = await codeOf(() => srv.app.closing.startNext(accessOf(person), person.principal, { kind: 'follow_up', title: 'Seuranta' }));
			expect(startNext, `closed · ${label(person)} · startFollowUp`).toBe(may('closed', 'startFollowUp', person) ? 'forbidden' : outcome('closed', 'startFollowUp', person));
		}
		// The coordinator's account may start the follow-up meeting from the closed plan.
		const started = await srv.app.closing.startNext(srv.app.participation.access(coordinator.principal, meetingId), coordinator.principal, {
			kind: 'follow_up',
			title: 'Seuranta'
		});
		expect(started.meeting.id).not.toBe(meetingId);
		// Closing again answers with the same version, for whoever could close it; others: 403.
		for (const person of people) {
			const again = await codeOf(() => srv.app.closing.close(accessOf(person), person.principal));
			expect(again, `closed · ${label(person)} · close again`).toBe(may('open', 'close', person) ? 'ok' : 'forbidden');
		}
	});

	it('closed: every socket.io decision is refused in its ack, with 409’s code (403 where it never was allowed)', async () => {
		const someoneElse = people[0]!.participantId;
		for (const person of people) {
			const socket = await connectSocket(srv.url, person.cookie);
			sockets.push(socket);
			expect((await socket.emitWithAck('meeting:join', { meetingId })).ok, label(person)).toBe(true);
			for (const [event, ability, emit] of socketAttempts) {
				const other = person.participantId === someoneElse ? people[1]!.participantId : someoneElse;
				const ack = await emit(socket, other);
				expect(ack.ok ? 'ok' : ack.error?.code, `closed · ${label(person)} · ${event}`).toBe(outcome('closed', ability, person));
			}
			socket.disconnect();
		}
	});

	it('closed: the JSON API answers 409 with `reason: "meeting_closed"` to every decision', async () => {
		const client = people.find((p) => p.role === 'client' && p.access === 'edit')!;
		const nurse = people.find((p) => p.role === 'nurse' && p.access === 'edit')!;
		const viewer = people.find((p) => p.role === 'kela' && p.access === 'view')!;
		const closed = { status: 409, body: { error: { code: 'conflict', message: expect.stringMatching(/closed/), reason: 'meeting_closed' } } };
		const forbidden = { status: 403, body: { error: { code: 'forbidden', message: expect.any(String) } } };
		const responsible = { participantId: responsibleId, followUpDate: addMonths(helsinkiToday(), 1), followUpMode: 'visit', contact: '040 765 4321' };
		const coord = coordinatorGuest();
		expect(await api(phaseRoute.PUT, coord, 'PUT', '/phase', { phase: 'introductions' })).toEqual(closed);
		expect(await api(responsibleRoute.PUT, coord, 'PUT', '/responsible', responsible)).toEqual(closed);
		expect(await api(workAbilityRoute.PUT, coord, 'PUT', '/work-ability', { score: 9 })).toEqual(closed);
		expect(await api(workAbilityRoute.PUT, client, 'PUT', '/work-ability', { score: 9 })).toEqual(closed);
		expect(await api(evaluationRoute.POST, client, 'POST', '/evaluation', { heard: 'no' })).toEqual(closed);
		expect(await api(evaluationRoute.POST, client, 'POST', '/evaluation', { goalId, rater: 'client', rating: -2 })).toEqual(closed);
		expect(await api(evaluationRoute.POST, nurse, 'POST', '/evaluation', { goalId, rater: 'worker', rating: 2 })).toEqual(closed);
		expect(
			await api(participantsRoute.POST, coord, 'POST', '/participants', { name: 'Elsa Öberg', role: 'other', organisation: '', presence: 'remote', access: 'view' })
		).toEqual(closed);
		// A view-only client never answered, before or after: 403, not 409.
		const viewClient = people.find((p) => p.role === 'client' && p.access === 'view')!;
		expect(await api(evaluationRoute.POST, viewClient, 'POST', '/evaluation', { heard: 'no' })).toEqual(forbidden);
		expect(await api(phaseRoute.PUT, viewer, 'PUT', '/phase', { phase: 'introductions' })).toEqual(forbidden);
	});

	it('closed: the participants page’s form actions fail with 409 and say the meeting is closed; removing someone still works', async () => {
		const coord = coordinatorGuest();
		const add = await formAction('add', coord, { name: 'Elsa Öberg', role: 'other', organisation: '', presence: 'remote', access: 'view' });
		expect(add).toMatchObject({ status: 409, data: { action: 'add', problem: 'meeting_closed', code: 'conflict' } });
		const reissue = await formAction('reissue', coord, { participantId: people[0]!.participantId });
		expect(reissue).toMatchObject({ status: 409, data: { action: 'reissue', problem: 'meeting_closed' } });
		// Anyone but the coordinator is refused as before: 403.
		const nurse = people.find((p) => p.role === 'nurse' && p.access === 'edit')!;
		expect(await formAction('add', nurse, { name: 'Elsa Öberg', role: 'other', organisation: '', presence: 'remote', access: 'view' })).toEqual({ thrown: 403 });
		const revoke = await formAction('revoke', coord, { participantId: removable.at(-1)! });
		expect(revoke).toMatchObject({ action: 'revoke' });
	});

	it('closed: no Yjs write reaches the document, from a connection opened before or after closing', async () => {
		const editor = people.find((p) => p.role === 'nurse' && p.access === 'edit')!;
		const before = openConnections.get(editor)!;
		const { doc, provider } = connectProvider(srv.yjsUrl, meetingId, new Y.Doc(), { cookie: coordinatorGuest().cookie });
		providers.push(provider);
		await synced(provider);
		clientVoice(doc).insert(0, '[after closing]');
		clientVoice(before.doc).insert(0, '[opened before closing]');
		await handled(provider);
		await handled(before.provider);
		const voice = await srv.app.documents.read(meetingId, (d) => clientVoice(d).toString());
		expect(voice).not.toContain('[after closing]');
		expect(voice).not.toContain('[opened before closing]');
	});

	it('closed: the live plan is the hashed version, after every refused attempt', async () => {
		const version = srv.app.closing.version(meetingId)!;
		expect(sha256(canonicalJson(await srv.app.plan(meetingId)))).toBe(version.hash);
		// Assembled afresh from the live document and the decisions' tables, it is still the version.
		// Only the participant list may differ: a participant removed after closing (their access
		// ends) took part in the meeting, and the version records that.
		const { app } = srv;
		const live = await readPlan(meetingId, { documents: app.documents, participants: app.participants, room: app.room, followUp: app.followUp, consents: app.consents });
		expect({ ...live, participants: null }).toEqual({ ...version.plan, participants: null });
		expect(srv.app.decisions(meetingId)).toMatchObject({
			responsible: { participantId: responsibleId, followUpMode: 'call' },
			workAbilityScore: 6
		});
		const evaluation = await srv.app.closing.evaluation(meetingId);
		expect(evaluation.heard).toBe('yes');
		expect(evaluation.ratings.find((r) => r.goalId === goalId)).toMatchObject({ client: 1, worker: 0 });
	});

	it('deleted: the coordinator deletes; every session is refused, as for a meeting that does not exist', async () => {
		const coord = coordinatorGuest();
		srv.app.policy.require(accessOf(coord), 'deleteMeeting');
		for (const person of people.filter((p) => !may('closed', 'deleteMeeting', p))) {
			expect(await codeOf(() => srv.app.policy.require(accessOf(person), 'deleteMeeting')), label(person)).toBe('forbidden');
		}
		await srv.app.closing.delete(meetingId, coord.principal, 'coordinator');
		for (const person of people) {
			const verdict = srv.app.policy.meeting(await srv.app.principalOf(person.cookie), meetingId);
			expect(verdict.ok, label(person)).toBe(false);
		}
		expect(srv.app.policy.meeting(coordinator.principal, meetingId)).toEqual({ ok: false, reason: 'not_found' });
	});
});
