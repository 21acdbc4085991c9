/**
 * The scribe for goals (issue #21 item 2): the coordinator or a named scribe chooses "write for
 * <name>" (socket.io `scribe:writing-for`, needs `writeOnBehalf`, kept per connection), and the goals
 * the server then sees that writer create are recorded as written for that person, audited, and shown
 * in the room's state and the plan. A participant without `writeOnBehalf` cannot set the mode. A
 * real server, real SQLite, real y-websocket and socket.io clients.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addGoal } from '../../src/lib/meeting/index.js';
import { guest, meetingWithCoordinator, names } from '../helpers/people.js';
import { connectSocket, openRaw, rawHandled, serverForFile, updateFrame } from './support.js';

const live = serverForFile();

async function meetingWithTeam() {
	const { app } = live.srv;
	const { meeting, coordinator } = await meetingWithCoordinator(app, 'Tavoitteet – Sjöström');
	const client = await guest(app, meeting.id, coordinator, { role: 'client', presence: 'room', name: 'Sanna Äijälä' });
	const nurse = await guest(app, meeting.id, coordinator, { role: 'nurse', access: 'edit', name: names.nurse, organisation: 'Terveysasema' });
	const coordinatorId = app.participants.forUser(meeting.id, coordinator.userId)!.id;
	return { app, meeting, coordinator, coordinatorId, client, nurse };
}

/** Sends a goal (made on a fresh replica) over a raw y-websocket connection and waits until it is handled. */
async function writeGoal(meetingId: string, cookie: string, text: string): Promise<string> {
	const doc = new Y.Doc();
	const goalId = addGoal(doc, { text, area: 'work' });
	const peer = await openRaw(`${live.srv.yjsUrl}/${meetingId}`, cookie);
	peer.ws.send(updateFrame(Y.encodeStateAsUpdate(doc)));
	await rawHandled(peer);
	peer.ws.close();
	return goalId;
}

describe('writing goals for someone', () => {
	it('records a goal the coordinator creates in "write for" mode as written for the client, audited, in the room and the plan', async () => {
		const { app, meeting, coordinator, coordinatorId, client } = await meetingWithTeam();
		const socket = await connectSocket(live.srv.url, coordinator.cookie);
		live.sockets.push(socket);
		expect(await socket.emitWithAck('meeting:join', { meetingId: meeting.id })).toMatchObject({ ok: true });
		expect(await socket.emitWithAck('scribe:writing-for', { meetingId: meeting.id, participantId: client.participant.id })).toEqual({ ok: true });

		const goalId = await writeGoal(meeting.id, coordinator.cookie, 'Palaan työhön syksyllä – Åsa kirjaa.');
		const expected = { goalId, writerId: coordinatorId, participantId: client.participant.id };
		expect(app.scribes.goals(meeting.id)).toEqual([expected]);
		expect(app.decisions(meeting.id).goalsWrittenFor).toEqual([expected]);
		const audited = app.audit.forMeeting(meeting.id).filter((e) => e.action === 'written_for');
		expect(audited).toHaveLength(1);
		expect(audited[0]).toMatchObject({ actorParticipantId: coordinatorId, detail: { participantId: client.participant.id, goalId } });
		const plan = await app.plan(meeting.id);
		expect(plan.goalsWrittenFor).toEqual([
			{
				goalId,
				writer: { participantId: coordinatorId, name: app.participants.get(coordinatorId)!.name },
				for: { participantId: client.participant.id, name: 'Sanna Äijälä' }
			}
		]);

		// Mode off: the next goal is the writer's own, not attributed.
		expect(await socket.emitWithAck('scribe:writing-for', { meetingId: meeting.id, participantId: null })).toEqual({ ok: true });
		const own = await writeGoal(meeting.id, coordinator.cookie, 'Koordinaattorin oma tavoite');
		expect(app.scribes.goals(meeting.id).map((g) => g.goalId)).toEqual([goalId]);
		expect((await app.plan(meeting.id)).goals.map((g) => g.id)).toContain(own);
	});

	it('refuses the mode to a participant without writeOnBehalf, and their goals are not attributed', async () => {
		const { app, meeting, client, nurse } = await meetingWithTeam();
		const socket = await connectSocket(live.srv.url, nurse.cookie);
		live.sockets.push(socket);
		const answer = await socket.emitWithAck('scribe:writing-for', { meetingId: meeting.id, participantId: client.participant.id });
		expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
		await writeGoal(meeting.id, nurse.cookie, 'Hoitajan tavoite');
		expect(app.scribes.goals(meeting.id)).toEqual([]);
		expect(app.audit.forMeeting(meeting.id).filter((e) => e.action === 'written_for')).toEqual([]);
		// Bad input harms nothing: an unknown participant, a malformed payload.
		const bad = await socket.emitWithAck('scribe:writing-for', { meetingId: meeting.id, participantId: 42 } as never);
		expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
	});

	it('a named scribe may set the mode; it ends when their connection closes', async () => {
		const { app, meeting, coordinator, client, nurse } = await meetingWithTeam();
		app.scribes.setScribe(app.participation.access(coordinator.principal, meeting.id), nurse.participant.id, true);
		const socket = await connectSocket(live.srv.url, nurse.cookie);
		expect(await socket.emitWithAck('scribe:writing-for', { meetingId: meeting.id, participantId: 'no-such-person' })).toMatchObject({
			ok: false,
			error: { code: 'not_found' }
		});
		expect(await socket.emitWithAck('scribe:writing-for', { meetingId: meeting.id, participantId: client.participant.id })).toEqual({ ok: true });
		expect(app.scribes.writingFor(meeting.id, nurse.participant.id)).toBe(client.participant.id);
		const goalId = await writeGoal(meeting.id, nurse.cookie, 'Jaksan arjessa – kirjuri Sjöström');
		expect(app.scribes.goals(meeting.id)).toEqual([{ goalId, writerId: nurse.participant.id, participantId: client.participant.id }]);
		socket.disconnect();
		await expect.poll(() => app.scribes.writingFor(meeting.id, nurse.participant.id)).toBeNull();
	});
});
