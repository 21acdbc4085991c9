/**
 * The scribe (issue #21 item 2): writing in another participant's perspective is decided by the
 * server from who actually wrote, on the writer's own connection. A participant who is not the
 * coordinator nor a named scribe is refused (4403) and nothing of the update is stored; a scribe's
 * and the coordinator's writes are attributed "written by W for P", audited once per pair, and shown
 * in the room's state and the closed plan.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../src/lib/protocol/close-codes.js';
import { guest, meetingWithCoordinator, names } from '../helpers/people.js';
import { handled, openRaw, serverForFile, storedRows, docFromRows, updateFrame, rawHandled } from './support.js';

const live = serverForFile();

/** An update that writes `text` into `perspective:<participantId>`, made on a fresh replica. */
function perspectiveUpdate(participantId: string, text: string): Uint8Array {
	const doc = new Y.Doc();
	doc.getText(`perspective:${participantId}`).insert(0, text);
	return Y.encodeStateAsUpdate(doc);
}

async function meetingWithTeam() {
	const { app } = live.srv;
	const { meeting, coordinator } = await meetingWithCoordinator(app, 'Kirjuri – Sjöström');
	const kela = await guest(app, meeting.id, coordinator, { role: 'kela', access: 'view', name: names.kela, organisation: 'Kela' });
	const nurse = await guest(app, meeting.id, coordinator, { role: 'nurse', access: 'edit', name: names.nurse, organisation: 'Terveysasema' });
	const social = await guest(app, meeting.id, coordinator, { role: 'social_worker', access: 'edit', name: 'Eero Äijälä', organisation: 'Sosiaalitoimi' });
	return { app, meeting, coordinator, kela, nurse, social };
}

const storedText = (meetingId: string, participantId: string) =>
	docFromRows(storedRows(live.srv.app.db, meetingId)).getText(`perspective:${participantId}`).toString();

describe('writing in someone else’s perspective', () => {
	it('refuses a participant who is not a scribe (4403) and stores nothing of the update', async () => {
		const { meeting, kela, nurse } = await meetingWithTeam();
		const peer = await openRaw(`${live.srv.yjsUrl}/${meeting.id}`, nurse.cookie);
		peer.ws.send(updateFrame(perspectiveUpdate(kela.participant.id, 'Kirjoitan Åsan puolesta')));
		const closed = await peer.closed;
		expect(closed.code).toBe(CloseCode.Forbidden);
		expect(storedText(meeting.id, kela.participant.id)).toBe('');
		expect(live.srv.app.scribes.list(meeting.id)).toEqual([]);
		expect(live.srv.app.audit.forMeeting(meeting.id).filter((e) => e.action === 'written_for')).toEqual([]);
	});

	it('lets a participant write their own perspective without attributing anything', async () => {
		const { meeting, nurse } = await meetingWithTeam();
		const peer = await openRaw(`${live.srv.yjsUrl}/${meeting.id}`, nurse.cookie);
		peer.ws.send(updateFrame(perspectiveUpdate(nurse.participant.id, 'Oma näkemys')));
		await rawHandled(peer);
		expect(peer.isClosed()).toBe(false);
		expect(storedText(meeting.id, nurse.participant.id)).toBe('Oma näkemys');
		expect(live.srv.app.scribes.list(meeting.id)).toEqual([]);
		peer.ws.close();
	});

	it('refuses a deletion in someone else’s perspective too', async () => {
		const { app, meeting, coordinator, kela, nurse } = await meetingWithTeam();
		const writer = await openRaw(`${live.srv.yjsUrl}/${meeting.id}`, coordinator.cookie);
		const source = new Y.Doc();
		source.getText(`perspective:${kela.participant.id}`).insert(0, 'Åsan näkemys');
		writer.ws.send(updateFrame(Y.encodeStateAsUpdate(source)));
		await rawHandled(writer);
		const before = Y.encodeStateVector(source);
		source.getText(`perspective:${kela.participant.id}`).delete(0, 4);
		const peer = await openRaw(`${live.srv.yjsUrl}/${meeting.id}`, nurse.cookie);
		peer.ws.send(updateFrame(Y.encodeStateAsUpdate(source, before)));
		expect((await peer.closed).code).toBe(CloseCode.Forbidden);
		expect(storedText(meeting.id, kela.participant.id)).toBe('Åsan näkemys');
		expect(app.scribes.list(meeting.id)).toEqual([{ writerId: app.participants.forUser(meeting.id, coordinator.userId)!.id, participantId: kela.participant.id }]);
		writer.ws.close();
	});

	it('attributes the coordinator’s write for a view-only expert, audits it once, and the room and the plan say so', async () => {
		const { app, meeting, coordinator, kela } = await meetingWithTeam();
		const coordinatorId = app.participants.forUser(meeting.id, coordinator.userId)!.id;
		const { provider, doc } = await live.clients.connectSynced(meeting.id, new Y.Doc(), { cookie: coordinator.cookie });
		doc.getText(`perspective:${kela.participant.id}`).insert(0, 'Kelan näkökulma: ');
		await handled(provider);
		doc.getText(`perspective:${kela.participant.id}`).insert(17, 'kuntoutus ensin.');
		await handled(provider);
		expect(storedText(meeting.id, kela.participant.id)).toBe('Kelan näkökulma: kuntoutus ensin.');
		expect(app.scribes.list(meeting.id)).toEqual([{ writerId: coordinatorId, participantId: kela.participant.id }]);
		expect(app.decisions(meeting.id).writtenFor).toEqual([{ writerId: coordinatorId, participantId: kela.participant.id }]);
		const audited = app.audit.forMeeting(meeting.id).filter((e) => e.action === 'written_for');
		expect(audited).toHaveLength(1);
		expect(audited[0]).toMatchObject({ actorParticipantId: coordinatorId, detail: { participantId: kela.participant.id } });
		const plan = await app.plan(meeting.id);
		expect(plan.perspectives.find((p) => p.participantId === kela.participant.id)).toMatchObject({
			text: 'Kelan näkökulma: kuntoutus ensin.',
			writtenBy: [{ participantId: coordinatorId, name: names.coordinator }]
		});
	});

	it('lets a named scribe write for another, and refuses again once the coordinator un-names them', async () => {
		const { app, meeting, coordinator, social, nurse } = await meetingWithTeam();
		const access = app.policy.meeting(coordinator.principal, meeting.id);
		if (!access.ok) throw new Error('no access');
		app.scribes.setScribe(access.access, nurse.participant.id, true);
		expect(app.decisions(meeting.id).scribes).toEqual([nurse.participant.id]);
		const peer = await openRaw(`${live.srv.yjsUrl}/${meeting.id}`, nurse.cookie);
		peer.ws.send(updateFrame(perspectiveUpdate(social.participant.id, 'Eeron näkemys, Päivin kirjaamana')));
		await rawHandled(peer);
		expect(peer.isClosed()).toBe(false);
		expect(storedText(meeting.id, social.participant.id)).toBe('Eeron näkemys, Päivin kirjaamana');
		expect(app.scribes.list(meeting.id)).toEqual([{ writerId: nurse.participant.id, participantId: social.participant.id }]);
		const actions = app.audit.forMeeting(meeting.id).map((e) => e.action);
		expect(actions).toContain('scribe_named');
		expect(actions.filter((a) => a === 'written_for')).toHaveLength(1);

		app.scribes.setScribe(access.access, nurse.participant.id, false);
		expect(app.audit.forMeeting(meeting.id).map((e) => e.action)).toContain('scribe_removed');
		peer.ws.send(updateFrame(perspectiveUpdate(social.participant.id, ' lisää')));
		expect((await peer.closed).code).toBe(CloseCode.Forbidden);
		expect(storedText(meeting.id, social.participant.id)).toBe('Eeron näkemys, Päivin kirjaamana');
	});

	it('names only participants with edit access as scribes, and only by the coordinator', async () => {
		const { app, meeting, coordinator, kela, nurse } = await meetingWithTeam();
		const access = app.policy.meeting(coordinator.principal, meeting.id);
		if (!access.ok) throw new Error('no access');
		expect(() => app.scribes.setScribe(access.access, kela.participant.id, true)).toThrow(/edit access/);
		const nurseAccess = app.policy.meeting({ kind: 'guest', participantId: nurse.participant.id, meetingId: meeting.id, sessionId: nurse.sessionId, name: names.nurse }, meeting.id);
		if (!nurseAccess.ok) throw new Error('no access');
		expect(() => app.scribes.setScribe(nurseAccess.access, nurse.participant.id, true)).toThrow(/coordinator/);
	});
});
