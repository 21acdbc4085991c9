/**
 * The coordinator's record of a participant is what everyone sees and what the plan records; a
 * guest's own chosen name is kept beside it, never instead (issue #20 item 8). A client who joins
 * choosing the coordinator's name impersonates nobody: not in presence, the audit trail, the closed
 * plan or its exports.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportMeeting } from '../../server/exports/index.js';
import { cookieFor, names } from '../helpers/people.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { connectProvider, synced } from '../helpers/yjs-client.js';
import { closeAsCoordinator, eventually, planMeeting, type PlanMeeting } from './plans.js';
import { removeDir } from './support.js';

let srv: TestServer;
let plan: PlanMeeting;
let impostorCookie: string;

beforeAll(async () => {
	srv = await startServer();
	plan = await planMeeting(srv, { title: 'Verkostotapaaminen – Sanna H.' });
	// The client opens their link again and writes the coordinator's name as their own.
	const { sessionId } = await srv.app.participation.join(plan.client.token, { name: ` ${names.coordinator} `, consent: ['kela'] }, '127.0.0.5');
	impostorCookie = cookieFor(sessionId);
});
afterAll(async () => {
	plan?.provider.destroy();
	await srv?.close();
	if (srv) removeDir(srv.dataDir);
});

describe("a guest's chosen name", () => {
	it('is kept beside the record, which stays the name', async () => {
		expect(srv.app.participants.get(plan.client.participant.id)).toMatchObject({ name: names.client, chosenName: names.coordinator });
		const principal = await srv.app.principalOf(impostorCookie);
		expect(principal).toMatchObject({ kind: 'guest', name: names.client });
		// The client's own entries (the invitation redeemed, every live connection) name the record.
		const joined = srv.app.audit
			.forMeeting(plan.meeting.id)
			.filter((event) => event.action === 'joined' && event.actorParticipantId === plan.client.participant.id);
		expect(joined.length).toBeGreaterThan(0);
		expect(new Set(joined.map((event) => event.actorName))).toEqual(new Set([names.client]));
	});

	it('the same name as recorded (but for case and spaces) is no other name', async () => {
		await srv.app.participation.join(plan.kela.token, { name: `  ${names.kela.toLocaleUpperCase('fi')}  ` }, '127.0.0.6');
		expect(srv.app.participants.get(plan.kela.participant.id)).toMatchObject({ name: names.kela, chosenName: null });
	});

	it('presence shows everyone the record, with the chosen name beside it', async () => {
		const { doc, provider } = connectProvider(srv.yjsUrl, plan.meeting.id, new Y.Doc(), { cookie: impostorCookie });
		try {
			await synced(provider);
			// The client claims to be the coordinator in their own awareness state, too.
			provider.awareness.setLocalStateField('user', { name: names.coordinator, participantId: plan.coordinator.principal.kind });
			provider.awareness.setLocalStateField('section', 'goals');
			const seen = await eventually(() => {
				const state = plan.provider.awareness.getStates().get(doc.clientID);
				expect(state?.section).toBe('goals');
				return state!.user as Record<string, unknown>;
			});
			expect(seen).toMatchObject({ name: names.client, chosenName: names.coordinator, participantId: plan.client.participant.id, role: 'client' });
		} finally {
			provider.destroy();
		}
	});

	it('the closed plan records the record, and the exports show the chosen name beside it', async () => {
		await closeAsCoordinator(srv, plan);
		const version = srv.app.closing.version(plan.meeting.id)!;
		const client = version.plan.participants.find((p) => p.id === plan.client.participant.id)!;
		expect(client).toMatchObject({ name: names.client, chosenName: names.coordinator, role: 'client' });
		// Nobody but the coordinator is recorded under the coordinator's name.
		expect(version.plan.participants.filter((p) => p.name === names.coordinator).map((p) => p.role)).toEqual(['coordinator']);
		// Participants without a chosen name have no such field: their part of the plan hashes as before.
		expect(version.plan.participants.find((p) => p.id === plan.kela.participant.id)).not.toHaveProperty('chosenName');

		const plain = (await exportMeeting(srv.app, plan.coordinator.principal, plan.meeting.id, 'plain-txt', 'fi')).body as string;
		expect(plain).toContain(`${names.client} (itse: ${names.coordinator})`);
		const swedish = (await exportMeeting(srv.app, plan.coordinator.principal, plan.meeting.id, 'plain-txt', 'sv')).body as string;
		expect(swedish).toContain(`${names.client} (eget val: ${names.coordinator})`);

		const bundle = JSON.parse((await exportMeeting(srv.app, plan.coordinator.principal, plan.meeting.id, 'fhir')).body as string) as {
			entry: Array<{ resource: { resourceType: string; name?: unknown } }>;
		};
		const patient = bundle.entry.find((e) => e.resource.resourceType === 'Patient')!.resource;
		expect(patient.name).toEqual([{ text: names.client }, { use: 'nickname', text: names.coordinator }]);
	});
});
