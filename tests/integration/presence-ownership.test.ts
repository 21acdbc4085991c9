/**
 * Presence belongs to the connection that announced it (issue #20, item 8). A stock provider's first
 * awareness state has clock 0, which Awareness does not take, so the server once left that client
 * without an owner and another peer could set or remove its state: everyone would have seen the
 * hostile peer's presence in the owner's place. Real server, stock y-websocket providers (y-protocols
 * awareness), and a hostile raw websocket sending y-protocols awareness frames for the owner's id.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../src/lib/protocol/close-codes.js';
import { guest, meetingWithCoordinator, names } from '../helpers/people.js';
import { startServer, type TestServer } from '../helpers/server.js';
import {
	Clients,
	handled,
	openRaw,
	rawHandled,
	removeDir,
	waitUntil,
	type RawPeer,
	awarenessFrame
} from './support.js';

let srv: TestServer | undefined;
const clients = new Clients(() => srv!.yjsUrl);
const raws: RawPeer[] = [];

afterEach(async () => {
	clients.destroyAll();
	for (const raw of raws.splice(0)) raw.ws.terminate();
	await srv?.close();
	if (srv) removeDir(srv.dataDir);
	srv = undefined;
});

type Presence = { cursor?: string; user?: { name: string; participantId: string } } | undefined;

async function meetingWithPeople(overrides: Parameters<typeof startServer>[0] = {}) {
	srv = await startServer(overrides);
	const { meeting, coordinator } = await meetingWithCoordinator(srv.app, 'Läsnäolo: Åsa Sjöström');
	const hostile = await guest(srv.app, meeting.id, coordinator, { role: 'nurse', name: 'Päivi Öhman', organisation: 'Sote' });
	const watcher = await guest(srv.app, meeting.id, coordinator, { role: 'client', name: 'Åsa Sjöström' });
	clients.signIn(meeting.id, coordinator.cookie);
	// A stock provider: its first awareness message, sent on open, is its initial state at clock 0.
	const owner = await clients.connectSynced(meeting.id);
	await handled(owner.provider);
	const observer = await clients.connectSynced(meeting.id, new Y.Doc(), { cookie: watcher.cookie });
	const url = `${srv.yjsUrl}/${meeting.id}`;
	return { meeting, owner, observer, hostile, url, ownerId: owner.doc.clientID };
}

describe('presence: a client id belongs to the connection that announced it first', () => {
	it("a hostile peer's clock 0, clock 1 and removals for another peer's client change nothing anyone sees", async () => {
		const { meeting, owner, observer, hostile, url, ownerId } = await meetingWithPeople();
		const seen = () => observer.provider.awareness.getStates().get(ownerId) as Presence;
		/** Every state of the owner's client the observer was ever shown. */
		const shown: Presence[] = [];
		observer.provider.awareness.on('change', ({ added, updated, removed }: Record<string, number[]>) => {
			if ([...added!, ...updated!, ...removed!].includes(ownerId)) shown.push(seen());
		});

		// Before the owner's state is visible anywhere (Awareness has not taken its clock 0).
		const raw = await openRaw(url, hostile.cookie);
		raws.push(raw);
		for (const frame of [
			awarenessFrame([ownerId, 0, { cursor: 'Päivi' }]),
			awarenessFrame([ownerId, 1, { cursor: 'Päivi' }]),
			awarenessFrame([ownerId, 1, null]),
			awarenessFrame([ownerId, 2, null]),
			awarenessFrame([ownerId, 9, { cursor: 'Päivi' }])
		]) {
			raw.ws.send(frame);
		}
		await rawHandled(raw);
		await handled(observer.provider);
		expect(seen()).toBeUndefined();
		expect(shown).toEqual([]);

		// The owner's next state reaches everyone as the owner's.
		owner.provider.awareness.setLocalStateField('cursor', 'Aino');
		await waitUntil(() => seen()?.cursor === 'Aino');
		expect(seen()?.user?.name).toBe(names.coordinator);
		expect(seen()?.user?.participantId).not.toBe(hostile.participant.id);

		// Once it is visible: neither replaced nor removed, at the clock seen or any later one.
		const clock = observer.provider.awareness.meta.get(ownerId)!.clock;
		for (const frame of [
			awarenessFrame([ownerId, clock, null]),
			awarenessFrame([ownerId, clock + 1, null]),
			awarenessFrame([ownerId, clock + 1, { cursor: 'Päivi' }]),
			awarenessFrame([ownerId, clock + 50, { cursor: 'Päivi' }])
		]) {
			raw.ws.send(frame);
		}
		await rawHandled(raw);

		// A stock provider given the owner's client id: its own state, then its removal on leaving.
		const impostorDoc = new Y.Doc();
		impostorDoc.clientID = ownerId;
		const impostor = await clients.connectSynced(meeting.id, impostorDoc, { cookie: hostile.cookie });
		impostor.provider.awareness.setLocalStateField('cursor', 'Päivi');
		await handled(impostor.provider);
		impostor.provider.awareness.setLocalState(null);
		await handled(impostor.provider);
		await handled(observer.provider);

		expect(seen()?.cursor).toBe('Aino');
		expect(seen()?.user?.name).toBe(names.coordinator);
		expect(shown.every((state) => state?.cursor === 'Aino' && state.user?.name === names.coordinator)).toBe(true);
		expect(srv!.app.documents.get(meeting.id)!.awareness.getStates().get(ownerId)).toMatchObject({ cursor: 'Aino' });
		expect(raw.isClosed()).toBe(false);
	});

	it("attempts on another peer's client count against the sender's budget; repeats of it do not", async () => {
		const { owner, observer, hostile, url, ownerId } = await meetingWithPeople({ rateMessagesPerSecond: 5, rateBurst: 10 });
		owner.provider.awareness.setLocalStateField('cursor', 'Aino');
		await waitUntil(() => (observer.provider.awareness.getStates().get(ownerId) as Presence)?.cursor === 'Aino');
		const clock = observer.provider.awareness.meta.get(ownerId)!.clock;

		// What a stock provider does with a presence it received: sends it on, unchanged. Free.
		const repeater = await openRaw(url, hostile.cookie);
		raws.push(repeater);
		for (let i = 0; i < 40; i++) repeater.ws.send(awarenessFrame([ownerId, clock, { cursor: 'Aino' }]));
		await rawHandled(repeater);
		expect(repeater.isClosed()).toBe(false);

		// Claims on it are refused one by one, and a run of them closes the sender like any flood.
		const claimer = await openRaw(url, hostile.cookie);
		raws.push(claimer);
		for (let i = 1; i <= 40; i++) claimer.ws.send(awarenessFrame([ownerId, clock + i, { cursor: 'Päivi' }]));
		expect(await claimer.closed).toMatchObject({ code: CloseCode.RateLimited });
		await handled(observer.provider);
		expect(observer.provider.awareness.getStates().get(ownerId)).toMatchObject({ cursor: 'Aino' });
	});
});
