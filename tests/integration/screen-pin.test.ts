/**
 * Pinning a section to the room screen (issue #21, item 1; docs/room-screen.md): a room decision over
 * socket.io that only the meeting's coordinator may make. Real server on port 0, real SQLite, real
 * socket.io clients: the coordinator pins and releases, everyone in the room sees it, anyone else is
 * refused and changes nothing, a pin outlives a phase change and ends by itself.
 */
import { describe, expect, it } from 'vitest';
import { screenPinMinutes, type RoomState } from '../../src/lib/protocol/agenda.js';
import { guest, meetingWithCoordinator } from '../helpers/people.js';
import { connectSocket, serverForFile, type RealtimeSocket } from './support.js';

const live = serverForFile();

/** A meeting with its coordinator, a nurse with edit access and the client, each in the room. */
async function room(title: string) {
	const { srv, sockets } = live;
	const { meeting, coordinator } = await meetingWithCoordinator(srv.app, title);
	const nurse = await guest(srv.app, meeting.id, coordinator, { role: 'nurse', name: 'Päivi Öhman', organisation: 'Sote' });
	const client = await guest(srv.app, meeting.id, coordinator, { role: 'client', name: 'Åsa Sjöström' });
	const join = async (cookie: string) => {
		const socket = await connectSocket(srv.url, cookie);
		sockets.push(socket);
		const states: RoomState[] = [];
		socket.on('room:state', (state) => states.push(state));
		const joined = await socket.emitWithAck('meeting:join', { meetingId: meeting.id });
		expect(joined.ok).toBe(true);
		return { socket, latest: () => states.at(-1) };
	};
	return {
		meetingId: meeting.id,
		coordinator,
		nurse,
		coordinatorRoom: await join(coordinator.cookie),
		nurseRoom: await join(nurse.cookie),
		clientRoom: await join(client.cookie)
	};
}

const pin = (socket: RealtimeSocket, meetingId: string, section: unknown) =>
	socket.emitWithAck('room:pin-screen', { meetingId, section } as never);

describe('room:pin-screen', () => {
	it('the coordinator pins a section for ten minutes and releases it; everyone in the room sees both', async () => {
		const { meetingId, coordinatorRoom, nurseRoom } = await room('Näyttö: Åsa Sjöström');
		const before = Date.now();
		expect(await pin(coordinatorRoom.socket, meetingId, 'service_map')).toEqual({ ok: true });
		await expect.poll(() => nurseRoom.latest()?.pinned?.section).toBe('service_map');
		const until = Date.parse(nurseRoom.latest()!.pinned!.until);
		expect(until).toBeGreaterThanOrEqual(before + screenPinMinutes * 60_000);
		expect(until).toBeLessThanOrEqual(Date.now() + screenPinMinutes * 60_000);

		// A phase change keeps the pin: it was pinned to stay in view while the meeting moves on.
		expect(await coordinatorRoom.socket.emitWithAck('room:phase', { meetingId, phase: 'plan' })).toEqual({ ok: true });
		await expect.poll(() => nurseRoom.latest()?.phase).toBe('plan');
		expect(nurseRoom.latest()?.pinned?.section).toBe('service_map');

		expect(await pin(coordinatorRoom.socket, meetingId, null)).toEqual({ ok: true });
		await expect.poll(() => nurseRoom.latest()?.pinned).toBeNull();
		const actions = live.srv.app.audit.forMeeting(meetingId).map((event) => [event.action, event.detail]);
		expect(actions).toContainEqual(['screen_pinned', { phase: 'service_map' }]);
		expect(actions.map(([action]) => action)).toContain('screen_unpinned');
	});

	it('anyone but the coordinator is refused with a clear reason, and the screen stays as it was', async () => {
		const { meetingId, coordinatorRoom, nurseRoom, clientRoom } = await room('Näyttö: Äijälä');
		expect(await pin(coordinatorRoom.socket, meetingId, 'perspectives')).toEqual({ ok: true });
		await expect.poll(() => clientRoom.latest()?.pinned?.section).toBe('perspectives');

		for (const refused of [nurseRoom, clientRoom]) {
			expect(await pin(refused.socket, meetingId, 'plan')).toEqual({
				ok: false,
				error: { code: 'forbidden', message: "Only the meeting's coordinator chooses what the room screen shows." }
			});
			expect(await pin(refused.socket, meetingId, null)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
		}
		expect(live.srv.app.decisions(meetingId).pinned?.section).toBe('perspectives');
		const pinned = live.srv.app.audit.forMeeting(meetingId).filter((event) => event.action.startsWith('screen_'));
		expect(pinned).toHaveLength(1);
	});

	it('an unknown section or a malformed payload is refused and pins nothing', async () => {
		const { meetingId, coordinatorRoom } = await room('Näyttö: Sjöström');
		for (const section of ['wall', 42, undefined, { phase: 'plan' }]) {
			expect(await pin(coordinatorRoom.socket, meetingId, section)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
		}
		expect(live.srv.app.decisions(meetingId).pinned).toBeNull();
	});

	it('a pin ends by itself when its time is up, and the room is told', async () => {
		const { meetingId, coordinator, nurseRoom } = await room('Näyttö: Åsa');
		const access = live.srv.app.participation.access(coordinator.principal, meetingId);
		// Pinned "ten minutes ago, less a moment": its end is a moment away.
		live.srv.app.room.pinScreen(access, 'plan', new Date(Date.now() - screenPinMinutes * 60_000 + 300));
		await expect.poll(() => nurseRoom.latest()?.pinned?.section).toBe('plan');
		await expect.poll(() => nurseRoom.latest()?.pinned, { timeout: 5000 }).toBeNull();
		expect(live.srv.app.decisions(meetingId).pinned).toBeNull();
	});
});
