/**
 * The live document's queue with a store that takes its time, as PostgreSQL will (DESIGN.md: the
 * store is behind a Promise interface so an asynchronous one fits unchanged). The store is the real
 * SQLite store; only its answers are held back until the test releases them.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { openDatabase, type Db } from '../db/database.js';
import { createLogger } from '../log.js';
import { MeetingRepository } from '../meetings.js';
import { DocumentRegistry } from './documents.js';
import type { Peer } from './peer.js';
import { SqliteDocumentStore, type DocumentStore, type StoredDocument } from './storage.js';

/** Holds every call until `release()`; then it goes through to the real store. */
class HeldStore implements DocumentStore {
	#held: (() => void)[] = [];
	holding = true;

	constructor(private readonly inner: SqliteDocumentStore) {}

	get waiting(): number {
		return this.#held.length;
	}

	release(): void {
		this.holding = false;
		for (const go of this.#held.splice(0)) go();
	}

	async #gate(): Promise<void> {
		if (this.holding) await new Promise<void>((resolve) => this.#held.push(resolve));
	}

	async load(meetingId: string): Promise<StoredDocument> {
		await this.#gate();
		return this.inner.load(meetingId);
	}
	async append(meetingId: string, update: Uint8Array): Promise<number> {
		await this.#gate();
		return this.inner.append(meetingId, update);
	}
	async compact(meetingId: string, snapshot: Uint8Array, throughUpdateId: number): Promise<void> {
		await this.#gate();
		return this.inner.compact(meetingId, snapshot, throughUpdateId);
	}
}

class TestPeer implements Peer {
	readonly awarenessClients = new Set<number>();
	readonly sent: Uint8Array[] = [];
	constructor(readonly id: string) {}
	send(message: Uint8Array): void {
		this.sent.push(message);
	}
	close(): void {}
}

function edit(text: string): Uint8Array {
	const doc = new Y.Doc();
	doc.getText('clientVoice').insert(0, text);
	return Y.encodeStateAsUpdate(doc);
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

let db: Db;
afterEach(() => db?.close());

function setUp() {
	db = openDatabase(':memory:', { syncMode: 'normal' });
	const meetingId = new MeetingRepository(db).create({ title: 'Tapaaminen: Ilona Mäkitalo' }).id;
	const sqlite = new SqliteDocumentStore(db);
	const store = new HeldStore(sqlite);
	const registry = new DocumentRegistry({ store, log: createLogger('silent'), unloadDelayMs: 0, compactAfterUpdates: 500 });
	const textOf = async () => {
		const stored = await sqlite.load(meetingId);
		const doc = new Y.Doc();
		if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
		for (const update of stored.updates) Y.applyUpdate(doc, update);
		return doc.getText('clientVoice').toString();
	};
	return { meetingId, store, registry, textOf };
}

describe('LiveDocument with a slow store', () => {
	it('stores every update that was queued before the last peer left, then unloads', async () => {
		const { meetingId, store, registry, textOf } = setUp();
		store.holding = false;
		const live = registry.acquire(meetingId);
		const peer = new TestPeer('p1');
		live.attach(peer);
		await live.loaded;

		store.holding = true;
		const first = live.receiveUpdate(peer, edit('Ensin. '));
		await flush();
		expect(store.waiting).toBe(1); // the first update is being stored
		const writes = [first, live.receiveUpdate(peer, edit('Sitten. '))]; // the second waits behind it
		live.detach(peer);
		await vi.waitFor(() => expect(live.state).toBe('unloading')); // the unload timer (0 ms) fired
		store.release();

		await expect(Promise.all(writes)).resolves.toBeDefined();
		await live.unloaded;
		expect(live.state).toBe('unloaded');
		const text = await textOf();
		expect(text).toContain('Ensin.');
		expect(text).toContain('Sitten.');
	});

	it('stores the updates that arrive while it is busy as one batch, in arrival order', async () => {
		const { meetingId, store, registry, textOf } = setUp();
		store.holding = false;
		const live = registry.acquire(meetingId);
		const peer = new TestPeer('p1');
		const other = new TestPeer('p2');
		live.attach(peer);
		live.attach(other);
		await live.loaded;

		store.holding = true;
		const first = live.receiveUpdate(peer, edit('Yksi. '));
		await flush();
		expect(store.waiting).toBe(1);
		const text = new Y.Doc();
		text.clientID = 7;
		const burst = ['kaksi', 'kolme', 'neljä', 'viisi', 'sex'].map((word) => {
			const before = Y.encodeStateVector(text);
			text.getText('clientVoice').insert(text.getText('clientVoice').length, `${word} `);
			return live.receiveUpdate(peer, Y.encodeStateAsUpdate(text, before));
		});
		store.release();
		store.holding = true;
		// The five that waited behind the first are appended together, not one turn each.
		await vi.waitFor(() => expect(store.waiting).toBe(5));
		expect(other.sent).toHaveLength(1); // only the first is relayed: nothing before it is stored
		store.release();
		await Promise.all([first, ...burst]);
		expect(other.sent).toHaveLength(6);
		expect(await textOf()).toContain('kaksi kolme neljä viisi sex');
	});

	it('a closed meeting, closed before it loaded or while loaded, stores and relays nothing more', async () => {
		const { meetingId, store } = setUp();
		store.holding = false;
		let closed = true;
		const registry = new DocumentRegistry({
			store,
			log: createLogger('silent'),
			unloadDelayMs: 0,
			compactAfterUpdates: 500,
			isClosed: () => closed
		});
		const peer = new TestPeer('p1');
		const other = new TestPeer('p2');
		const live = registry.acquire(meetingId);
		live.attach(peer);
		live.attach(other);
		await live.loaded;
		await live.receiveUpdate(peer, edit('Suljetun jälkeen. '));
		expect((await store.load(meetingId)).updates.length).toBe(0);
		expect(other.sent).toHaveLength(0);

		// Open when it loads, then closed inside the queue: updates after the close go nowhere.
		closed = false;
		live.detach(peer);
		live.detach(other);
		await live.unloaded;
		const again = registry.acquire(meetingId);
		again.attach(peer);
		again.attach(other);
		await again.loaded;
		await again.receiveUpdate(peer, edit('Ennen. '));
		await again.run(() => again.markClosed());
		await again.receiveUpdate(peer, edit('Jälkeen. '));
		expect((await store.load(meetingId)).updates.length).toBe(1);
		expect(other.sent).toHaveLength(1);
	});

	it('stores every queued update on shutdown', async () => {
		const { meetingId, store, registry, textOf } = setUp();
		store.holding = false;
		const live = registry.acquire(meetingId);
		const peer = new TestPeer('p1');
		live.attach(peer);
		await live.loaded;

		store.holding = true;
		const writes = [live.receiveUpdate(peer, edit('Åsa: ')), live.receiveUpdate(peer, edit('hej då. '))];
		await flush();
		const shutdown = registry.shutdown(1001, 'server shutting down');
		store.release();
		await shutdown;

		await expect(Promise.all(writes)).resolves.toBeDefined();
		const text = await textOf();
		expect(text).toContain('Åsa:');
		expect(text).toContain('hej då.');
	});

	it('unloads a document whose last peer left while it was still loading', async () => {
		const { meetingId, store, registry } = setUp();
		const live = registry.acquire(meetingId);
		const peer = new TestPeer('p1');
		live.attach(peer);
		live.detach(peer);
		store.release();
		await live.loaded;

		await live.unloaded;
		expect(live.state).toBe('unloaded');
		expect(registry.get(meetingId)).toBeUndefined();
	});

	it('a peer joining while the previous instance unloads gets everything it stored', async () => {
		const { meetingId, store, registry } = setUp();
		store.holding = false;
		const first = registry.acquire(meetingId);
		const leaving = new TestPeer('p1');
		first.attach(leaving);
		await first.loaded;
		await first.receiveUpdate(leaving, edit('Viimeiset sanat ennen lähtöä. '));

		store.holding = true;
		first.detach(leaving);
		await vi.waitFor(() => expect(first.state).toBe('unloading')); // its compaction is held

		const second = registry.acquire(meetingId);
		expect(second).not.toBe(first);
		const joining = new TestPeer('p2');
		second.attach(joining);
		await flush();
		expect(second.state).toBe('loading'); // waits for the first to finish storing
		store.release();
		await second.loaded;
		expect(second.doc.getText('clientVoice').toString()).toBe('Viimeiset sanat ennen lähtöä. ');
	});
});
