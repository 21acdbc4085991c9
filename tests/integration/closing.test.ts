/**
 * Closing a meeting with one shared plan, and what follows it (issue #6): the checklist, the document
 * that accepts nothing after closing, the hashed version, follow-up meetings, the diff between two
 * versions, and retention. A real server, real SQLite, real y-websocket clients.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { canonicalJson, sha256 } from '../../server/canonical.js';
import { DomainError } from '../../server/errors.js';
import { addMonths, helsinkiToday } from '../../server/follow-up.js';
import { assemblePlan, contentOf } from '../../server/plan.js';
import {
	addGoal,
	clientVoice,
	goalText,
	readActions,
	readGoals,
	readServices,
	removeAction,
	seedFromPlan,
	updateAction,
	updateService
} from '../../src/lib/meeting/index.js';
import { cookieFor, guest, meetingWithCoordinator } from '../helpers/people.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { connectProvider, synced } from '../helpers/yjs-client.js';
import { removeDir, updateLogLength } from './support.js';
import { closeAsCoordinator, eventually, planMeeting } from './plans.js';

let srv: TestServer;
const providers: Array<{ destroy(): void }> = [];

beforeAll(async () => {
	srv = await startServer();
});
afterEach(() => {
	for (const provider of providers.splice(0)) provider.destroy();
});
afterAll(async () => {
	await srv?.close();
	if (srv) removeDir(srv.dataDir);
});

/** A provider that the test's cleanup destroys. */
async function connect(meetingId: string, cookie: string) {
	const client = connectProvider(srv.yjsUrl, meetingId, new Y.Doc(), { cookie });
	providers.push(client.provider);
	await synced(client.provider);
	return client;
}

/** What a reader of the document sees, through the document model. */
const content = (doc: Y.Doc) =>
	JSON.stringify({ voice: clientVoice(doc).toString(), goals: readGoals(doc), actions: readActions(doc), services: readServices(doc) });

/** The same value with every object's keys in reverse order. */
function reverseKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(reverseKeys);
	if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
	return value;
}

async function refusalOf(work: () => Promise<unknown>): Promise<DomainError> {
	const error = await work().then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(DomainError);
	return error as DomainError;
}

describe('the closing checklist', () => {
	it('refuses to close while something is missing, listing exactly what, and only the coordinator closes', async () => {
		const app = srv.app;
		const { meeting, coordinator } = await meetingWithCoordinator(app);
		const access = () => app.participation.access(coordinator.principal, meeting.id);

		let refusal = await refusalOf(() => app.closing.close(access(), coordinator.principal));
		expect(refusal.code).toBe('conflict');
		expect(refusal.status).toBe(409);
		expect(refusal.detail.missing).toEqual(['responsible_worker', 'goal', 'client_consent']);

		const { doc } = await connect(meeting.id, coordinator.cookie);
		addGoal(doc, { text: 'Palaan työhön osa-aikaisesti.', area: 'work' });
		await eventually(async () => expect(await app.closing.checklist(meeting.id)).toEqual(['responsible_worker', 'client_consent']));

		// The client joins with the invitation and gives consent.
		const client = await guest(app, meeting.id, coordinator, { role: 'client' });
		expect(await app.closing.checklist(meeting.id)).toEqual(['responsible_worker']);

		const kela = await guest(app, meeting.id, coordinator, { role: 'kela', name: 'Åsa Lindström' });
		refusal = await refusalOf(() => app.closing.close(access(), coordinator.principal));
		expect(refusal.detail.missing).toEqual(['responsible_worker']);

		app.followUp.set(access(), { participantId: kela.participant.id, followUpDate: addMonths(helsinkiToday(), 1), followUpMode: 'visit', contact: '020 634 0000' });
		expect(await app.closing.checklist(meeting.id)).toEqual([]);

		// Nobody but the coordinator closes: not the client, not another professional.
		for (const guestCookie of [client.cookie, kela.cookie]) {
			const principal = await app.principalOf(guestCookie);
			const refused = await refusalOf(() => app.closing.close(app.participation.access(principal, meeting.id), principal));
			expect(refused.code).toBe('forbidden');
		}
		expect(app.closing.isClosed(meeting.id)).toBe(false);

		const version = await app.closing.close(access(), coordinator.principal);
		expect(version.version).toBe(1);
		expect(app.closing.isClosed(meeting.id)).toBe(true);
		expect(app.decisions(meeting.id).closed).toBe(true);
	});
});

describe('a closed meeting', () => {
	it('neither relays nor stores a raw client’s later update, and its hash is reproducible', async () => {
		const app = srv.app;
		const plan = await planMeeting(srv);
		providers.push(plan.provider);
		const watcher = await connect(plan.meeting.id, plan.kela.cookie);
		const writer = await connect(plan.meeting.id, plan.client.cookie);
		await eventually(() => expect(readGoals(watcher.doc)).toHaveLength(2));

		const version = await closeAsCoordinator(srv, plan);
		const rowsAtClose = updateLogLength(app.db, plan.meeting.id);
		const watcherBefore = content(watcher.doc);

		// A raw client writes after closing (its own editor is not read-only: it ignores the room state).
		goalText(writer.doc, plan.ids.goals[0]!)!.insert(0, 'MYÖHÄSSÄ ');
		writer.doc.getText('clientVoice').insert(0, 'Jälkikäteen lisätty. ');
		// Messages of one connection are handled in order: once the watcher sees this awareness change,
		// the server has handled the update before it.
		writer.provider.awareness.setLocalStateField('probe', 'after-update');
		await eventually(() => {
			const states = [...watcher.provider.awareness.getStates().values()];
			expect(states.some((state) => state.probe === 'after-update')).toBe(true);
		});

		expect(content(watcher.doc)).toBe(watcherBefore);
		expect(updateLogLength(app.db, plan.meeting.id)).toBe(rowsAtClose);
		const latecomer = await connect(plan.meeting.id, plan.nurse.cookie);
		expect(clientVoice(latecomer.doc).toString()).not.toContain('Jälkikäteen');
		expect(content(latecomer.doc)).toBe(watcherBefore);

		// The version is the plan as it was at closing; closing again answers with the same version.
		expect(version.plan.goals.map((g) => g.text)).not.toContain(expect.stringContaining('MYÖHÄSSÄ'));
		expect(sha256(version.canonical)).toBe(version.hash);
		expect(canonicalJson(JSON.parse(version.canonical))).toBe(version.canonical);
		const again = await closeAsCoordinator(srv, plan);
		expect(again).toMatchObject({ version: version.version, hash: version.hash, closedAt: version.closedAt });
		expect(app.closing.version(plan.meeting.id)!.canonical).toBe(version.canonical);
	});

	it('gives the same canonical JSON, and so the same hash, for the same content however it was written', async () => {
		const app = srv.app;
		const a = await planMeeting(srv);
		const b = await planMeeting(srv);
		providers.push(a.provider, b.provider);
		const versionA = await closeAsCoordinator(srv, a);
		const versionB = await closeAsCoordinator(srv, b);
		// Two meetings never share a hash: the plan names its meeting, participants and items by id.
		expect(versionA.hash).not.toBe(versionB.hash);

		// The same content with another history (one transaction, another Yjs client) reads as byte for
		// byte the same canonical JSON: the hash depends on the content only, never on how it was typed.
		const rewritten = new Y.Doc();
		seedFromPlan(rewritten, versionA.plan);
		clientVoice(rewritten).insert(0, versionA.plan.clientVoice);
		expect(Y.encodeStateVector(rewritten)).not.toEqual(Y.encodeStateVector(a.doc));
		const again = assemblePlan(a.meeting.id, contentOf(rewritten), app);
		expect(canonicalJson(again)).toBe(versionA.canonical);
		expect(sha256(canonicalJson(again))).toBe(versionA.hash);

		// Key order does not matter, and the canonical JSON survives a round trip unchanged.
		const reordered = reverseKeys(again);
		expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(again));
		expect(canonicalJson(reordered)).toBe(versionA.canonical);
		expect(canonicalJson(JSON.parse(versionA.canonical))).toBe(versionA.canonical);
	});
});

describe('follow-up meetings', () => {
	it('start from the last plan: a provider on the new meeting sees its services, goals and actions with the same ids', async () => {
		const app = srv.app;
		const plan = await planMeeting(srv);
		providers.push(plan.provider);
		const version = await closeAsCoordinator(srv, plan);
		const access = app.participation.access(plan.coordinator.principal, plan.meeting.id);

		const refusal = await refusalOf(async () => {
			const kela = await app.principalOf(plan.kela.cookie);
			return app.closing.startNext(app.participation.access(kela, plan.meeting.id), kela, { kind: 'follow_up', title: 'Seuranta' });
		});
		expect(refusal.code).toBe('forbidden');

		const { meeting, invites } = await app.closing.startNext(access, plan.coordinator.principal, {
			kind: 'follow_up',
			title: 'Seurantatapaaminen',
			scheduledAt: null
		});
		// Guests are invited again with new links; the coordinator's account takes part directly.
		expect(invites).toHaveLength(3);
		expect(app.closing.kindOf(meeting.id)).toBe('follow_up');
		const { doc } = await connect(meeting.id, plan.coordinator.cookie);
		expect(readServices(doc).map((s) => [s.id, s.name, s.status])).toEqual(version.plan.services.map((s) => [s.id, s.name, s.status]));
		expect(readGoals(doc)).toEqual(version.plan.goals);
		expect(readActions(doc).map(({ id, text, goalId, serviceId, due, order }) => ({ id, text, goalId, serviceId, due, order }))).toEqual(
			version.plan.actions.map(({ id, text, goalId, serviceId, due, order }) => ({ id, text, goalId, serviceId, due, order }))
		);
		// Each owner is the same person's record in the new meeting.
		const people = new Map(app.participants.list(meeting.id).map((p) => [p.id, p]));
		expect(readActions(doc).map((action) => [people.has(action.owner), people.get(action.owner)?.name])).toEqual(
			version.plan.actions.map((action) => [true, action.ownerName])
		);
		expect(app.closing.history(meeting.id).map((entry) => [entry.meeting.id, entry.version])).toEqual([
			[plan.meeting.id, 1],
			[meeting.id, null]
		]);
	});

	it('can be compared with the previous version: the diff lists exactly the changes', async () => {
		const app = srv.app;
		const plan = await planMeeting(srv);
		providers.push(plan.provider);
		// The first meeting's work ability rating is the path's baseline; recorded while it is open
		// (once closed, nothing of it changes).
		app.followUp.setWorkAbility(app.participation.access(plan.coordinator.principal, plan.meeting.id), 4);
		await closeAsCoordinator(srv, plan);
		const { meeting, invites } = await app.closing.startNext(
			app.participation.access(plan.coordinator.principal, plan.meeting.id),
			plan.coordinator.principal,
			{ kind: 'closing', title: 'Päätöstapaaminen' }
		);
		const { doc } = await connect(meeting.id, plan.coordinator.cookie);
		const [firstService, , thirdService] = plan.ids.services;
		const newGoal = addGoal(doc, { text: 'Opiskelen atk-kurssin.', area: 'education' });
		removeAction(doc, plan.ids.actions[2]!);
		const later = addMonths(helsinkiToday(), 3);
		updateAction(doc, plan.ids.actions[1]!, { due: later });
		updateService(doc, firstService!, { status: 'current' });
		updateService(doc, thirdService!, { status: 'ended', tie: 'moderate' });
		await eventually(async () => expect((await app.plan(meeting.id)).goals).toHaveLength(3));
		await eventually(async () => expect((await app.plan(meeting.id)).actions).toHaveLength(2));
		await eventually(async () => expect((await app.plan(meeting.id)).services.find((s) => s.id === thirdService)?.tie).toBe('moderate'));

		// The client joins the closing meeting (consent again), and the coordinator names the worker.
		const clientInvite = invites.find((invite) => app.participants.get(invite.participantId)?.role === 'client')!;
		const joined = await app.participation.join(clientInvite.token, { name: 'Sanna Häkkinen', consent: ['health', 'kela'] }, '127.0.0.1');
		const kela = app.participation.participants(plan.coordinator.principal, meeting.id).find((p) => p.role === 'kela')!;
		const access = app.participation.access(plan.coordinator.principal, meeting.id);
		app.followUp.set(access, { participantId: kela.id, followUpDate: addMonths(helsinkiToday(), 1), followUpMode: 'call', contact: '020 634 0000' });

		// The closing meeting rates each goal; only goals with described levels count in the T-score.
		const clientPrincipal = await app.principalOf(cookieFor(joined.sessionId));
		const clientAccess = app.participation.access(clientPrincipal, meeting.id);
		app.closing.rateGoal(clientAccess, plan.ids.goals[0]!, 'client', 1);
		app.closing.rateGoal(clientAccess, plan.ids.goals[1]!, 'client', -1);
		app.closing.rateGoal(access, plan.ids.goals[0]!, 'worker', 0);
		expect(() => app.closing.rateGoal(clientAccess, plan.ids.goals[0]!, 'worker', 2)).toThrow(DomainError);
		app.closing.recordHeard(clientAccess, 'partly');
		app.followUp.setWorkAbility(clientAccess, 6);
		const evaluation = await app.closing.evaluation(meeting.id);
		// One scaled goal at +1: 50 + 10 / √(0.7 + 0.3) = 60; the worker's 0 gives 50.
		expect(evaluation.tScore).toEqual({ client: 60, worker: 50 });
		expect(evaluation.workAbility).toEqual({ baseline: 4, now: 6 });
		expect(evaluation.heard).toBe('partly');

		const next = await app.closing.close(access, plan.coordinator.principal);
		expect(next.version).toBe(2);
		expect(() => app.closing.rateGoal(clientAccess, plan.ids.goals[0]!, 'client', 2)).toThrow(DomainError);

		const diff = app.closing.diff(plan.meeting.id, meeting.id);
		expect(diff.goals.added.map((g) => g.id)).toEqual([newGoal]);
		expect(diff.goals.removed).toEqual([]);
		expect(diff.goals.changed).toEqual([]);
		expect(diff.actions.added).toEqual([]);
		expect(diff.actions.removed.map((a) => a.id)).toEqual([plan.ids.actions[2]]);
		// The owners are new participant records of the same people: not a change.
		expect(diff.actions.changed.map((c) => [c.id, c.fields])).toEqual([[plan.ids.actions[1], ['due']]]);
		expect(diff.services.added).toEqual([]);
		expect(diff.services.removed).toEqual([]);
		expect(diff.services.changed.map((c) => [c.id, c.fields])).toEqual([
			[firstService, ['status']],
			[thirdService, ['status', 'tie']]
		]);
	});
});

describe('retention', () => {
	it('deletes the content of a meeting closed past its date and keeps the audit entries', async () => {
		const app = srv.app;
		const plan = await planMeeting(srv);
		await closeAsCoordinator(srv, plan);
		plan.provider.destroy();
		const id = plan.meeting.id;
		const count = (table: string) => app.db.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM ${table} WHERE meeting_id = ?`).get(id)!.n;
		expect(count('yjs_updates') + count('yjs_snapshots')).toBeGreaterThan(0);
		expect(count('plan_versions')).toBe(1);
		const auditBefore = app.audit.forMeeting(id).length;

		// A lone meeting is a path of one: kept until its deletion date (docs/retention.md), then deleted.
		const { deleteAfter } = app.retention.forMeeting(id);
		expect(deleteAfter).not.toBeNull();
		await app.purgeExpired(new Date(Date.parse(deleteAfter!) - 1));
		expect(app.meetings.get(id)).toBeDefined();
		expect((await app.purgeExpired(new Date(deleteAfter!))).meetings).toBeGreaterThanOrEqual(1);

		for (const table of ['yjs_updates', 'yjs_snapshots', 'plan_versions', 'participants', 'consents', 'work_ability_scores']) {
			expect(count(table), table).toBe(0);
		}
		expect(app.meetings.get(id)).toBeUndefined();
		const trail = app.audit.forMeeting(id);
		expect(trail.length).toBe(auditBefore + 1);
		expect(trail.at(-1)).toMatchObject({ action: 'deleted', detail: { reason: 'retention', path: id } });
		expect(trail.map((event) => event.action)).toEqual(expect.arrayContaining(['meeting_created', 'consent_recorded', 'meeting_closed']));
	});
});
