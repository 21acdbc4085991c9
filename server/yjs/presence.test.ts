/**
 * Presence (awareness) as the live document keeps it: which peer speaks for which client, how many,
 * and what a returning client needs. Bounded memory and presence right after a reconnect depend on it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as prng from 'lib0/prng';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { CloseCode } from '../../src/lib/protocol/close-codes.js';
import { openDatabase, type Db } from '../db/database.js';
import { createLogger } from '../log.js';
import { MeetingRepository } from '../meetings.js';
import { DocumentRegistry } from './documents.js';
import type { LiveDocument } from './live-document.js';
import type { Peer } from './peer.js';
import { maxAwarenessClientsPerPeer } from './presence-ownership.js';
import { ProtocolError, type AwarenessEntry } from './messages.js';
import { applyAwarenessEntries } from './presence.js';
import { SqliteDocumentStore } from './storage.js';

class TestPeer implements Peer {
	readonly awarenessClients = new Set<number>();
	readonly sent: Uint8Array[] = [];
	constructor(readonly id: string) {}
	send(message: Uint8Array): void {
		this.sent.push(message);
	}
	close(): void {}
}

/** New peers with these ids, attached to `live` in this order. */
function attached<const Ids extends string[]>(live: LiveDocument, ...ids: Ids): { [K in keyof Ids]: TestPeer } {
	return ids.map((id) => {
		const peer = new TestPeer(id);
		live.attach(peer);
		return peer;
	}) as { [K in keyof Ids]: TestPeer };
}

let db: Db;
afterEach(() => db?.close());

async function liveDocument(): Promise<LiveDocument> {
	db = openDatabase(':memory:', { syncMode: 'normal' });
	const meetingId = new MeetingRepository(db).create({ title: 'Tapaaminen: Ilona Mäkitalo' }).id;
	const registry = new DocumentRegistry({
		store: new SqliteDocumentStore(db),
		log: createLogger('silent'),
		unloadDelayMs: 60_000,
		compactAfterUpdates: 500
	});
	const live = registry.acquire(meetingId);
	await live.loaded;
	return live;
}

const state = (clientId: number, clock: number, cursor = 0): AwarenessEntry => ({ clientId, clock, state: { cursor } });
const removal = (clientId: number, clock: number): AwarenessEntry => ({ clientId, clock, state: null });

describe('presence in a live document', () => {
	it('a removal of a client nobody announced leaves no record behind', async () => {
		const live = await liveDocument();
		const [peer] = attached(live, 'p1');
		const records = live.awareness.meta.size;
		await live.receiveAwareness(peer, Array.from({ length: 1000 }, (_, i) => removal(50_000 + i, 5)));
		expect(live.awareness.meta.size).toBe(records);
		expect(live.onlyRepeatsOthers(peer, [removal(50_000, 6)])).toBe(true);
	});

	it(`a peer may speak for at most ${maxAwarenessClientsPerPeer} clients; more is refused whole`, async () => {
		const live = await liveDocument();
		const [peer] = attached(live, 'p1');
		await live.receiveAwareness(peer, Array.from({ length: maxAwarenessClientsPerPeer }, (_, i) => state(100 + i, 1)));
		expect(live.awareness.getStates().size).toBe(maxAwarenessClientsPerPeer);
		const refused = live.receiveAwareness(peer, [state(999, 1)]);
		await expect(refused).rejects.toBeInstanceOf(ProtocolError);
		await expect(refused).rejects.toMatchObject({ code: CloseCode.MalformedMessage });
		expect(live.awareness.getStates().has(999)).toBe(false);
	});

	it("another peer's client is neither changed nor removed, and repeating it is recognised as such", async () => {
		const live = await liveDocument();
		const [owner, other] = attached(live, 'owner', 'other');
		await live.receiveAwareness(owner, [state(7, 1, 10)]);
		await live.receiveAwareness(other, [state(7, 2, 99), removal(7, 3)]);
		expect(live.awareness.getStates().get(7)).toEqual({ cursor: 10 });
		expect(live.onlyRepeatsOthers(other, [state(7, 1, 10)])).toBe(true);
		expect(live.onlyRepeatsOthers(owner, [state(7, 2, 11)])).toBe(false);
		expect(live.onlyRepeatsOthers(other, [state(8, 1)])).toBe(false);
	});

	it("a repeat of a departed client's state does not bring it back as someone else's", async () => {
		const live = await liveDocument();
		const [leaving, staying] = attached(live, 'leaving', 'staying');
		await live.receiveAwareness(staying, [state(8, 1)]);
		await live.receiveAwareness(leaving, [state(7, 4)]);
		live.detach(leaving);
		// The stock provider repeats what it received: here client 7's last state, after 7 left.
		expect(live.onlyRepeatsOthers(staying, [state(7, 4)])).toBe(true);
		await live.receiveAwareness(staying, [state(7, 4)]);
		expect(live.awareness.getStates().has(7)).toBe(false);
		expect(staying.awarenessClients).toEqual(new Set([8]));
	});

	it('a peer whose own state Awareness never took cannot take over a departed client by repeating it', async () => {
		const live = await liveDocument();
		const [leaving, silent] = attached(live, 'leaving', 'silent');
		// A stock provider that never set a state of its own sends the initial one (clock 0), which
		// Awareness does not take: nobody sees it, but the client is this connection's.
		await live.receiveAwareness(silent, [state(8, 0)], true);
		expect(live.awareness.getStates().has(8)).toBe(false);
		expect(silent.awarenessClients).toEqual(new Set([8]));
		await live.receiveAwareness(leaving, [state(7, 4)], true);
		live.detach(leaving);
		expect(live.onlyRepeatsOthers(silent, [state(7, 4)])).toBe(true);
		await live.receiveAwareness(silent, [state(7, 4)]);
		expect(live.awareness.getStates().has(7)).toBe(false);

		// So client 7's next connection speaks for it again, at the clock it goes on with.
		const [returning] = attached(live, 'returning');
		await live.receiveAwareness(returning, [state(7, 5)], true);
		expect(returning.awarenessClients).toEqual(new Set([7]));
		expect(live.awareness.meta.get(7)?.clock).toBe(5);
	});

	it('a client that returns after its connection ended is present again at once, with the next clock', async () => {
		const live = await liveDocument();
		const [before, watcher] = attached(live, 'before', 'watcher');
		await live.receiveAwareness(before, [state(7, 4)]);
		live.detach(before);
		expect(live.awareness.getStates().has(7)).toBe(false);

		// The stock provider announces the clock it had; the server has seen that clock already.
		const [after] = attached(live, 'after');
		await live.receiveAwareness(after, [state(7, 4)], true);
		expect(live.awareness.getStates().get(7)).toEqual({ cursor: 0 });
		expect(live.awareness.meta.get(7)?.clock).toBe(5);

		// It is the new connection's: nobody else changes it, and it goes when that connection closes.
		await live.receiveAwareness(watcher, [state(7, 9, 99)]);
		expect(live.awareness.getStates().get(7)).toEqual({ cursor: 0 });
		live.detach(after);
		expect(live.awareness.getStates().has(7)).toBe(false);
	});

	it("a first state at clock 0 makes the client its connection's: nobody else sets it, removes it or claims it", async () => {
		const live = await liveDocument();
		const [owner, hostile, bystander] = attached(live, 'owner', 'hostile', 'bystander');
		await live.receiveAwareness(owner, [state(7, 0, 1)], true);
		expect(live.awareness.getStates().has(7)).toBe(false);

		for (const attempt of [state(7, 0, 66), state(7, 1, 66), state(7, 50, 66), removal(7, 0), removal(7, 1)]) {
			// Not a repeat of anything the server relayed: an attempt, counted against the sender's budget.
			expect(live.onlyRepeatsOthers(hostile, [attempt], true)).toBe(false);
			await live.receiveAwareness(hostile, [attempt], true);
			await live.receiveAwareness(hostile, [attempt]);
		}
		expect(live.awareness.getStates().has(7)).toBe(false);
		expect(hostile.awarenessClients.size).toBe(0);

		// The owner's next state is taken as it would have been without the attempts.
		await live.receiveAwareness(owner, [state(7, 1, 2)]);
		expect(live.awareness.getStates().get(7)).toEqual({ cursor: 2 });
		expect(live.awareness.meta.get(7)?.clock).toBe(1);

		// Then a repeat of what was relayed changes nothing and costs nothing; anything newer is refused.
		expect(live.onlyRepeatsOthers(bystander, [state(7, 1, 2)])).toBe(true);
		expect(live.onlyRepeatsOthers(hostile, [state(7, 2, 66)])).toBe(false);
		expect(live.onlyRepeatsOthers(hostile, [removal(7, 1)])).toBe(false);
		await live.receiveAwareness(hostile, [state(7, 2, 66), removal(7, 3)]);
		await live.receiveAwareness(hostile, [removal(7, 1)]);
		expect(live.awareness.getStates().get(7)).toEqual({ cursor: 2 });

		// Its own removal leaves the client its owner's: a removed client is not anyone's to take.
		await live.receiveAwareness(owner, [removal(7, 2)]);
		await live.receiveAwareness(hostile, [state(7, 3, 66)]);
		expect(live.awareness.getStates().has(7)).toBe(false);
		await live.receiveAwareness(owner, [state(7, 3, 4)]);
		expect(live.awareness.getStates().get(7)).toEqual({ cursor: 4 });

		// When the owner leaves, the client is free for its next connection.
		live.detach(owner);
		expect(live.awareness.getStates().has(7)).toBe(false);
		const [next] = attached(live, 'next');
		await live.receiveAwareness(next, [state(7, 4, 5)], true);
		expect(next.awarenessClients).toEqual(new Set([7]));
		expect(live.awareness.getStates().get(7)).toEqual({ cursor: 5 });
	});
});

describe('applyAwarenessEntries', () => {
	/** An Awareness whose own client id is 1, with its local state (as every Awareness starts) or without. */
	function awarenessWithEvents(localState: boolean) {
		const doc = new Y.Doc();
		doc.clientID = 1;
		const awareness = new awarenessProtocol.Awareness(doc);
		if (!localState) awareness.setLocalState(null);
		const events: unknown[] = [];
		awareness.on('change', (change: unknown, origin: unknown) => events.push(['change', change, origin]));
		awareness.on('update', (update: unknown, origin: unknown) => events.push(['update', update, origin]));
		return { awareness, events, destroy: () => (awareness.destroy(), doc.destroy()) };
	}

	/** The entries as a peer sends them: y-protocols' awareness update format. */
	function encodeAwarenessEntries(entries: AwarenessEntry[]): Uint8Array {
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, entries.length);
		for (const { clientId, clock, state } of entries) {
			encoding.writeVarUint(encoder, clientId);
			encoding.writeVarUint(encoder, clock);
			encoding.writeVarString(encoder, JSON.stringify(state));
		}
		return encoding.toUint8Array(encoder);
	}

	const clocks = (awareness: awarenessProtocol.Awareness) => new Map([...awareness.meta].map(([id, meta]) => [id, meta.clock]));

	it.each([true, false])('does what y-protocols does with the encoded entries (local state: %s)', (localState) => {
		// Entries that hit every rule: new clients, newer and older clocks, the same clock, removals of
		// present and absent clients, repeats of an equal state, and the local client (id 1) removed.
		const gen = prng.create(localState ? 7 : 11);
		/** 0 to n − 1. */
		const random = (n: number) => prng.int32(gen, 0, n - 1);
		const ours = awarenessWithEvents(localState);
		const theirs = awarenessWithEvents(localState);
		try {
			for (let message = 0; message < 400; message++) {
				const entries: AwarenessEntry[] = Array.from({ length: 1 + random(3) }, () => {
					const clientId = 1 + random(5);
					const clock = Math.max(0, (ours.awareness.meta.get(clientId)?.clock ?? 0) + random(4) - 1);
					const state = random(4) === 0 ? null : { cursor: random(3), user: { name: 'Åsa Mäenpää' } };
					return { clientId, clock, state };
				});
				applyAwarenessEntries(ours.awareness, entries, 'peer');
				awarenessProtocol.applyAwarenessUpdate(theirs.awareness, encodeAwarenessEntries(entries), 'peer');
				expect(ours.events).toEqual(theirs.events);
				expect(ours.awareness.getStates()).toEqual(theirs.awareness.getStates());
				expect(clocks(ours.awareness)).toEqual(clocks(theirs.awareness));
			}
			// Every rule was reached: clients were added, changed and removed, and equal states repeated
			// (an update that is no change).
			type Event = [string, { added: number[]; updated: number[]; removed: number[] }];
			const changes = (ours.events as Event[]).filter(([name]) => name === 'change');
			const updates = (ours.events as Event[]).filter(([name]) => name === 'update');
			expect(changes.some(([, change]) => change.added.length > 0)).toBe(true);
			expect(changes.some(([, change]) => change.updated.length > 0)).toBe(true);
			expect(changes.some(([, change]) => change.removed.length > 0)).toBe(true);
			expect(updates.length).toBeGreaterThan(changes.length);
		} finally {
			ours.destroy();
			theirs.destroy();
		}
	});
});
