/**
 * The scribe for the client's answers (issue #21 item 2): the coordinator recording "Was I heard?",
 * the work ability rating or the client's side of a goal rating with a client who has no device is
 * stored with who recorded it, named "recorded by X for <client>" in the evaluation and the plan,
 * and audited with the client as the subject. The client's own answers are not marked; a
 * professional who is not the coordinator cannot record them. A real server, real SQLite.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../helpers/pdf.js';
import { DomainError } from '../../server/errors.js';
import { exportMeeting } from '../../server/exports/index.js';
import { addMonths, helsinkiToday } from '../../server/follow-up.js';
import { cookieFor } from '../helpers/people.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { removeDir } from './support.js';
import { closeAsCoordinator, planMeeting } from './plans.js';

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

function refused(work: () => unknown): DomainError {
	let caught: unknown = null;
	try {
		work();
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(DomainError);
	return caught as DomainError;
}

describe('answers recorded for the client', () => {
	it('the coordinator’s recorded answers name the recorder and the client; audited with the client as the subject', async () => {
		const app = srv.app;
		const plan = await planMeeting(srv);
		providers.push(plan.provider);
		const access = app.participation.access(plan.coordinator.principal, plan.meeting.id);
		const coordinatorId = access.participant.id;
		const clientId = plan.client.participant.id;

		app.closing.recordHeard(access, 'partly');
		app.followUp.setWorkAbility(access, 5);

		const evaluation = await app.closing.evaluation(plan.meeting.id);
		expect(evaluation.heard).toBe('partly');
		expect(evaluation.heardRecordedBy).toEqual({ participantId: coordinatorId, name: access.participant.name });
		expect(evaluation.workAbility).toEqual({ baseline: null, now: 5, recordedBy: { participantId: coordinatorId, name: access.participant.name } });
		const json = await app.plan(plan.meeting.id);
		expect(json.workAbilityRecordedBy).toEqual({ participantId: coordinatorId, name: access.participant.name });
		// The room state every view gets (socket.io room:state) says who recorded it, for the room's widget.
		expect(app.decisions(plan.meeting.id)).toMatchObject({ workAbilityScore: 5, workAbilityRecordedBy: coordinatorId });

		const trail = app.audit.forMeeting(plan.meeting.id);
		const heard = trail.filter((e) => e.action === 'heard_recorded');
		expect(heard).toHaveLength(1);
		expect(heard[0]).toMatchObject({ actorParticipantId: coordinatorId, detail: { subject: clientId } });
		// The answer itself is the client's: never in the trail.
		expect(JSON.stringify(heard[0])).not.toContain('partly');
		const work = trail.filter((e) => e.action === 'work_ability_recorded');
		expect(work).toHaveLength(1);
		expect(work[0]).toMatchObject({ actorParticipantId: coordinatorId, detail: { subject: clientId } });

		// The record keeps who recorded it with the client.
		const version = await closeAsCoordinator(srv, plan);
		expect(version.plan.workAbilityRecordedBy).toEqual({ participantId: coordinatorId, name: access.participant.name });
		const clientName = plan.client.participant.name;
		const marked = { en: `Recorded by ${access.participant.name} for ${clientName}`, sv: `Registrerat av ${access.participant.name} för ${clientName}` };
		const pdf = await exportMeeting(app, plan.coordinator.principal, plan.meeting.id, 'pdf', 'en');
		expect(await pdfText(pdf.body as Uint8Array)).toContain(marked.en);
		const text = await exportMeeting(app, plan.coordinator.principal, plan.meeting.id, 'plain-txt', 'sv');
		expect(String(text.body)).toContain(marked.sv);
	});

	it('the client’s own answers are not marked, and a professional who is not the coordinator cannot record them', async () => {
		const app = srv.app;
		const plan = await planMeeting(srv);
		providers.push(plan.provider);
		const clientPrincipal = await app.principalOf(plan.client.cookie);
		const clientAccess = app.participation.access(clientPrincipal, plan.meeting.id);
		app.closing.recordHeard(clientAccess, 'yes');
		app.followUp.setWorkAbility(clientAccess, 7);

		const evaluation = await app.closing.evaluation(plan.meeting.id);
		expect(evaluation.heard).toBe('yes');
		expect(evaluation).not.toHaveProperty('heardRecordedBy');
		expect(evaluation.workAbility).toEqual({ baseline: null, now: 7 });
		expect(await app.plan(plan.meeting.id)).not.toHaveProperty('workAbilityRecordedBy');
		expect(app.decisions(plan.meeting.id)).toMatchObject({ workAbilityScore: 7, workAbilityRecordedBy: null });
		const trail = app.audit.forMeeting(plan.meeting.id).filter((e) => e.action === 'heard_recorded' || e.action === 'work_ability_recorded');
		expect(trail).toHaveLength(2);
		for (const entry of trail) expect(entry.detail).toBeNull();

		// Åsa at Kela (edit access, not the coordinator) may not answer for the client: nothing changes.
		const kelaPrincipal = await app.principalOf(plan.kela.cookie);
		const kelaAccess = app.participation.access(kelaPrincipal, plan.meeting.id);
		expect(refused(() => app.closing.recordHeard(kelaAccess, 'no')).status).toBe(403);
		expect(refused(() => app.followUp.setWorkAbility(kelaAccess, 1)).status).toBe(403);
		const after = await app.closing.evaluation(plan.meeting.id);
		expect(after.heard).toBe('yes');
		expect(after.workAbility.now).toBe(7);
		expect(app.audit.forMeeting(plan.meeting.id).filter((e) => e.action === 'heard_recorded' || e.action === 'work_ability_recorded')).toHaveLength(2);
	});

	it('the client’s side of a goal rating recorded by the coordinator is attributed; the client’s own is not', async () => {
		const app = srv.app;
		const plan = await planMeeting(srv);
		providers.push(plan.provider);
		await closeAsCoordinator(srv, plan);
		const { meeting, invites } = await app.closing.startNext(
			app.participation.access(plan.coordinator.principal, plan.meeting.id),
			plan.coordinator.principal,
			{ kind: 'closing', title: 'Päätöstapaaminen – Sjöström' }
		);
		const clientInvite = invites.find((invite) => app.participants.get(invite.participantId)?.role === 'client')!;
		const joined = await app.participation.join(clientInvite.token, { name: 'Sanna Häkkinen', consent: ['health'] }, '127.0.0.1');
		const clientAccess = app.participation.access(await app.principalOf(cookieFor(joined.sessionId)), meeting.id);
		const access = app.participation.access(plan.coordinator.principal, meeting.id);
		app.followUp.set(access, {
			participantId: app.participation.participants(plan.coordinator.principal, meeting.id).find((p) => p.role === 'kela')!.id,
			followUpDate: addMonths(helsinkiToday(), 1),
			followUpMode: 'call',
			contact: '020 634 0000'
		});

		const [first, second] = plan.ids.goals;
		app.closing.rateGoal(access, first!, 'client', 1);
		app.closing.rateGoal(clientAccess, second!, 'client', 0);
		app.closing.rateGoal(access, first!, 'worker', 0);

		const evaluation = await app.closing.evaluation(meeting.id);
		expect(evaluation.ratings.find((r) => r.goalId === first)).toEqual({
			goalId: first,
			client: 1,
			worker: 0,
			clientRecordedBy: { participantId: access.participant.id, name: access.participant.name }
		});
		expect(evaluation.ratings.find((r) => r.goalId === second)).toEqual({ goalId: second, client: 0, worker: null });

		const rated = app.audit.forMeeting(meeting.id).filter((e) => e.action === 'goal_rated');
		expect(rated.map((e) => e.detail)).toEqual([
			{ goalId: first, rater: 'client', subject: clientInvite.participantId },
			{ goalId: second, rater: 'client' },
			{ goalId: first, rater: 'worker' }
		]);
	});
});
