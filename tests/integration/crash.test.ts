/**
 * The storage promise (docs/storage.md): an update is on disk before any other peer sees it. So the
 * server is killed with SIGKILL the moment an update reaches another client, at different points of
 * its life, restarted on the same DATA_DIR, and everything any client had seen must be there.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { tempDataDir } from '../helpers/server.js';
import { synced } from '../helpers/yjs-client.js';
import { Clients, contains, killHard, removeDir, seedMeetings, startChild, waitUntil, type ChildServer } from './support.js';

const running = new Set<ChildServer>();
const dataDirs: string[] = [];
let clients: Clients;
let child: ChildServer;

async function start(dataDir: string, env: Record<string, string> = {}): Promise<ChildServer> {
	child = await startChild(dataDir, env);
	running.add(child);
	return child;
}

afterEach(async () => {
	clients?.destroyAll();
	for (const server of running) {
		server.process.kill('SIGKILL');
		await server.exited;
	}
	running.clear();
	for (const dir of dataDirs.splice(0)) removeDir(dir);
});

/**
 * The meetings and their coordinator's session exist before anyone connects: created in the same
 * DATA_DIR before the server starts (sessions are stored, so the cookie outlives every restart).
 */
async function setUp(titles: string[], env: Record<string, string> = {}) {
	const dataDir = tempDataDir('verkosto-crash-');
	dataDirs.push(dataDir);
	const { meetingIds, coordinator } = await seedMeetings(dataDir, titles);
	clients = new Clients(() => child.yjsUrl);
	for (const id of meetingIds) clients.signIn(id, coordinator.cookie);
	return { dataDir, meetingIds, env, start: () => start(dataDir, env) };
}

/** Resolves once the provider's connection is gone, so that every frame it received has been applied. */
function disconnected(provider: WebsocketProvider): Promise<void> {
	return waitUntil(() => !provider.wsconnected && !provider.wsconnecting);
}

/** Calls `onSeen` on each update a client receives from the server (not its own edits). */
function onRemoteUpdate(doc: Y.Doc, provider: WebsocketProvider, onSeen: (doc: Y.Doc) => void): void {
	doc.on('update', (_update: Uint8Array, origin: unknown) => {
		if (origin === provider) onSeen(doc);
	});
}

interface Witness {
	meetingId: string;
	/** Everything this client had when the server died, and the client ids it wrote itself. */
	state: Uint8Array;
	stateVector: Map<number, number>;
	ownClientId: number | null;
}

/** What a client had seen: kill first, then wait until its socket is closed, then record its state. */
async function witness(meetingId: string, client: { doc: Y.Doc; provider: WebsocketProvider }, writes: boolean) {
	await disconnected(client.provider);
	clients.destroy(client.provider);
	return {
		meetingId,
		state: Y.encodeStateAsUpdate(client.doc),
		stateVector: Y.decodeStateVector(Y.encodeStateVector(client.doc)),
		ownClientId: writes ? client.doc.clientID : null
	} satisfies Witness;
}

/**
 * Restarts on the same DATA_DIR and checks every witness against what a fresh provider gets:
 * an observer's whole state must be there; of a writer, everything it received from the others
 * (its own last edits may legitimately have died in flight).
 */
async function expectEverythingSeenSurvived(restart: () => Promise<ChildServer>, witnesses: Witness[]) {
	await restart();
	const fresh = new Map<string, Y.Doc>();
	for (const meetingId of new Set(witnesses.map((w) => w.meetingId))) {
		const client = clients.connect(meetingId);
		await synced(client.provider);
		fresh.set(meetingId, client.doc);
	}
	for (const w of witnesses) {
		const doc = fresh.get(w.meetingId)!;
		if (w.ownClientId === null) {
			expect(contains(doc, w.state), `an observer of ${w.meetingId} saw more than was stored`).toBe(true);
		} else {
			const stored = Y.decodeStateVector(Y.encodeStateVector(doc));
			for (const [clientId, clock] of w.stateVector) {
				if (clientId === w.ownClientId) continue;
				expect(stored.get(clientId) ?? 0, `client ${clientId} in ${w.meetingId}`).toBeGreaterThanOrEqual(clock);
			}
		}
	}
	return fresh;
}

const voice = (doc: Y.Doc) => doc.getText('clientVoice');

describe('crash: kill -9 once an update has reached another client', () => {
	it('right after the first update is seen', async () => {
		const t = await setUp(['Tapaaminen: Heikki Österberg']);
		const [meetingId] = t.meetingIds as [string];
		const server = await t.start();
		const writer = await clients.connectSynced(meetingId);
		const observer = await clients.connectSynced(meetingId);
		onRemoteUpdate(observer.doc, observer.provider, () => server.process.kill('SIGKILL'));

		voice(writer.doc).insert(0, 'Ensimmäinen lause: haluan palata hoitotyöhön.');
		await server.exited;
		const seen = await witness(meetingId, observer, false);
		expect(voice(observer.doc).toString()).toBe('Ensimmäinen lause: haluan palata hoitotyöhön.');
		clients.destroyAll();

		const fresh = await expectEverythingSeenSurvived(t.start, [seen]);
		expect(voice(fresh.get(meetingId)!).toString()).toBe('Ensimmäinen lause: haluan palata hoitotyöhön.');
	});

	it('in the middle of a burst of many updates', async () => {
		const t = await setUp(['Tapaaminen: Sanna Vähäkangas']);
		const [meetingId] = t.meetingIds as [string];
		const server = await t.start();
		const writer = await clients.connectSynced(meetingId);
		const writer2 = await clients.connectSynced(meetingId);
		const observer = await clients.connectSynced(meetingId);
		let received = 0;
		onRemoteUpdate(observer.doc, observer.provider, () => {
			if (++received === 150) server.process.kill('SIGKILL');
		});

		// Two writers type 400 edits between them, in batches, while the server is killed under them.
		for (let i = 0; i < 200 && !server.process.killed; i++) {
			voice(writer.doc).insert(voice(writer.doc).length, `a${i} `);
			writer2.doc.getMap<string>('openQuestions').set(`k${i % 17}`, `Kysymys ${i} (Åsa)`);
			if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
		}
		await server.exited;
		const seen = [
			await witness(meetingId, observer, false),
			await witness(meetingId, writer, true),
			await witness(meetingId, writer2, true)
		];
		expect(received).toBeGreaterThanOrEqual(150);
		clients.destroyAll();

		const fresh = await expectEverythingSeenSurvived(t.start, seen);
		expect(voice(fresh.get(meetingId)!).toString().length).toBeGreaterThan(0);
	});

	it('right after the update log reached the compaction threshold', async () => {
		const t = await setUp(['Tapaaminen: Kalle Rönkkö'], { COMPACT_AFTER_UPDATES: '5' });
		const [meetingId] = t.meetingIds as [string];
		const server = await t.start();
		const writer = await clients.connectSynced(meetingId);
		const observer = await clients.connectSynced(meetingId);
		// A larger document makes each compaction take a while, so the kill lands during or right after one.
		voice(writer.doc).insert(0, 'Työhistoria: siivooja, vahtimestari, lähihoitaja. '.repeat(2000));
		await waitUntil(() => voice(observer.doc).length > 0);
		let received = 0;
		onRemoteUpdate(observer.doc, observer.provider, () => {
			// Update 1 above, then 4 more: the 5th logged update queues a compaction; so do the 10th, 15th…
			if (++received === 4 * 5) server.process.kill('SIGKILL');
		});
		for (let i = 0; i < 60 && !server.process.killed; i++) {
			writer.doc.getMap<string>('meta').set(`merkintä${i}`, `Päivitys ${i}`);
			await new Promise((resolve) => setImmediate(resolve));
		}
		await server.exited;
		const seen = [await witness(meetingId, observer, false)];
		clients.destroyAll();

		const fresh = await expectEverythingSeenSurvived(t.start, seen);
		expect(fresh.get(meetingId)!.getMap('meta').size).toBeGreaterThanOrEqual(19);
	});

	it('while a second meeting is also being edited', async () => {
		const t = await setUp(['Tapaaminen: Tuula Pöntinen', 'Möte: Björn Åström']);
		const [first, second] = t.meetingIds as [string, string];
		const server = await t.start();
		const w1 = await clients.connectSynced(first);
		const o1 = await clients.connectSynced(first);
		const w2 = await clients.connectSynced(second);
		const o2 = await clients.connectSynced(second);
		let seen1 = 0;
		let seen2 = 0;
		const maybeKill = () => {
			if (seen1 >= 30 && seen2 >= 30) server.process.kill('SIGKILL');
		};
		onRemoteUpdate(o1.doc, o1.provider, () => (seen1++, maybeKill()));
		onRemoteUpdate(o2.doc, o2.provider, () => (seen2++, maybeKill()));

		for (let i = 0; i < 200 && !server.process.killed; i++) {
			voice(w1.doc).insert(0, `t${i} `);
			voice(w2.doc).insert(voice(w2.doc).length, `m${i} `);
			if (i % 5 === 4) await new Promise((resolve) => setImmediate(resolve));
		}
		await server.exited;
		const seen = [await witness(first, o1, false), await witness(second, o2, false)];
		clients.destroyAll();

		const fresh = await expectEverythingSeenSurvived(t.start, seen);
		expect(voice(fresh.get(first)!).toString()).not.toMatch(/m\d/);
		expect(voice(fresh.get(second)!).toString()).not.toMatch(/t\d/);
	});

	it('right after a client reconnected with edits made offline', async () => {
		const t = await setUp(['Tapaaminen: Mikko Järvelä']);
		const [meetingId] = t.meetingIds as [string];
		const server = await t.start();
		const writer = await clients.connectSynced(meetingId);
		const observer = await clients.connectSynced(meetingId);
		voice(writer.doc).insert(0, 'Ennen katkosta. ');
		await waitUntil(() => voice(observer.doc).length > 0);

		writer.provider.disconnect();
		for (let i = 0; i < 50; i++) writer.doc.getMap<string>('openQuestions').set(`offline${i}`, `Junassa kirjoitettu ${i} (Väinö)`);
		onRemoteUpdate(observer.doc, observer.provider, (doc) => {
			if (doc.getMap('openQuestions').size > 0) server.process.kill('SIGKILL');
		});
		writer.provider.connect();
		await server.exited;
		const seen = [await witness(meetingId, observer, false)];
		expect(observer.doc.getMap('openQuestions').size).toBe(50);
		clients.destroyAll();

		const fresh = await expectEverythingSeenSurvived(t.start, seen);
		expect(fresh.get(meetingId)!.getMap('openQuestions').size).toBe(50);
	});

	it('inside the unload window, and right after a client rejoined the reloaded document', async () => {
		const t = await setUp(['Tapaaminen: Outi Äijälä'], { UNLOAD_DELAY_MS: '1' });
		const [meetingId] = t.meetingIds as [string];
		let server = await t.start();
		const writer = await clients.connectSynced(meetingId);
		const observer = await clients.connectSynced(meetingId);
		for (let i = 0; i < 20; i++) voice(writer.doc).insert(0, `${i} `);
		await waitUntil(() => voice(observer.doc).toString().startsWith('19 '));
		// Everyone leaves; the server is killed while the document is being unloaded (delay 1 ms).
		clients.destroy(writer.provider);
		const seenBeforeLeaving = await (async () => {
			const state = Y.encodeStateAsUpdate(observer.doc);
			clients.destroy(observer.provider);
			return { meetingId, state, stateVector: new Map<number, number>(), ownClientId: null } satisfies Witness;
		})();
		await new Promise((resolve) => setImmediate(resolve));
		await killHard(server);
		clients.destroyAll();
		const fresh = await expectEverythingSeenSurvived(t.start, [seenBeforeLeaving]);
		expect(voice(fresh.get(meetingId)!).toString()).toMatch(/^19 18 /);

		// The reloaded document: a client rejoins and edits; kill the moment another client sees it.
		clients.destroyAll();
		server = child;
		const rejoined = await clients.connectSynced(meetingId);
		const observer2 = await clients.connectSynced(meetingId);
		onRemoteUpdate(observer2.doc, observer2.provider, () => server.process.kill('SIGKILL'));
		rejoined.doc.getMap<string>('meta').set('jatko', 'Uusi tavoite: ajokortti (Outi)');
		await server.exited;
		const seen = [await witness(meetingId, observer2, false)];
		clients.destroyAll();
		const after = await expectEverythingSeenSurvived(t.start, seen);
		expect(after.get(meetingId)!.getMap('meta').get('jatko')).toBe('Uusi tavoite: ajokortti (Outi)');
		expect(voice(after.get(meetingId)!).toString()).toMatch(/^19 18 /);
	});
});
