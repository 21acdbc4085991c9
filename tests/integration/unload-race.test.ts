/**
 * The unload window: the last client leaves, the document is about to be (or is being) compacted and
 * dropped, and another client joins. Nothing may be lost and nobody may see a stale document.
 * And a document that fails to load never overwrites what is stored.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../src/lib/protocol/close-codes.js';
import { MessageType } from '../../src/lib/protocol/yjs-messages.js';
import type { LiveDocument } from '../../server/yjs/live-document.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { Clients, signedInMeeting, docFromRows, openRaw, prng, removeDir, storedRows, updateLogLength, waitUntil } from './support.js';

let srv: TestServer;
const clients = new Clients(() => srv.yjsUrl);

beforeAll(async () => {
	srv = await startServer({ unloadDelayMs: 5 });
});
afterEach(() => clients.destroyAll());
afterAll(async () => {
	await srv?.close();
	if (srv) removeDir(srv.dataDir);
});

const questions = (doc: Y.Doc) => doc.getMap<string>('openQuestions');
const names = ['Aatu Kärppä', 'Östen Åberg', 'Märta Sjöholm', 'Jyrki Hämäläinen', 'Åke Öhrnberg'];

describe('unload race', () => {
	it('a hundred times the last client leaves and another joins inside the unload window: nothing lost, never stale', async () => {
		const meeting = (await signedInMeeting(srv.app, clients, 'Seurantatapaaminen: Liisa Määttä')).meeting;
		const random = prng(0xdeca);
		/** Edits the server had stored and applied before their author left. */
		const acknowledged: string[] = [];
		/** Edits sent in the same breath as leaving: in flight while the document starts to unload. */
		const inFlight: string[] = [];
		const liveDoc = () => srv.app.documents.get(meeting.id);
		const instances = new Set<LiveDocument>();
		let joinedTheSameInstance = 0;
		const timings = { immediately: 0, afterLeaveSeen: 0, afterUnloadStarted: 0 };

		let current = await clients.connectSynced(meeting.id);
		for (let i = 0; i < 100; i++) {
			const author = names[i % names.length]!;
			const key = `q${i}`;
			questions(current.doc).set(key, `${author}: kysymys ${i} — miten työkokeilu jatkuu?`);
			current.doc.getText('clientVoice').insert(0, `${i} `);
			await waitUntil(() => liveDoc()?.doc.getMap('openQuestions').has(key) === true);
			acknowledged.push(key);

			const late = `late${i}`;
			questions(current.doc).set(late, `${author} lähtee: viimeinen ajatus ${i}`);
			inFlight.push(late);
			const leaving = liveDoc();
			clients.destroy(current.provider);

			// Join at a different point of the unload window each time.
			const roll = random();
			if (roll < 0.34) {
				timings.immediately++;
			} else if (roll < 0.67) {
				await waitUntil(() => leaving?.peerCount === 0);
				timings.afterLeaveSeen++;
			} else {
				await waitUntil(() => leaving?.acceptsPeers === false);
				timings.afterUnloadStarted++;
			}
			const joiner = await clients.connectSynced(meeting.id);

			// Right after its first sync, the joiner sees every edit the server had acknowledged.
			const seen = questions(joiner.doc);
			const missing = acknowledged.filter((k) => !seen.has(k));
			expect(missing, `joiner ${i} saw a stale document`).toEqual([]);

			const instance = liveDoc()!;
			if (instance === leaving) joinedTheSameInstance++;
			instances.add(instance);
			current = joiner;
		}

		// Both outcomes of the race happened: joining the document before it unloaded, and after.
		expect(joinedTheSameInstance, JSON.stringify(timings)).toBeGreaterThan(0);
		expect(instances.size, JSON.stringify(timings)).toBeGreaterThan(1);

		// Nothing was lost, not even the edits sent while leaving.
		const all = [...acknowledged, ...inFlight];
		await expect.poll(() => all.filter((k) => !questions(current.doc).has(k))).toEqual([]);
		clients.destroyAll();
		await expect.poll(() => liveDoc()).toBeUndefined();
		const stored = docFromRows(storedRows(srv.app.db, meeting.id));
		expect(all.filter((k) => !questions(stored).has(k))).toEqual([]);
		const last = await clients.connectSynced(meeting.id);
		expect(all.filter((k) => !questions(last.doc).has(k))).toEqual([]);
		expect(last.doc.getText('clientVoice').toString()).toMatch(/^99 98 97 /);
	});

	describe('a document that fails to load', () => {
		const garbage = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]);

		/** A meeting with a stored snapshot and nothing loaded. */
		async function storedMeeting(title: string) {
			const { meeting, coordinator } = await signedInMeeting(srv.app, clients, title);
			const writer = await clients.connectSynced(meeting.id);
			writer.doc.getText('clientVoice').insert(0, 'Haluan oppia ruotsia ja palata työhön. ');
			questions(writer.doc).set('q1', 'Kuka soittaa Kelaan? (Elina Östman)');
			await waitUntil(() => srv.app.documents.get(meeting.id)?.doc.getMap('openQuestions').has('q1') === true);
			clients.destroy(writer.provider);
			await expect.poll(() => srv.app.documents.get(meeting.id)).toBeUndefined();
			expect(storedRows(srv.app.db, meeting.id).snapshot).not.toBeNull();
			return { ...meeting, cookie: coordinator.cookie };
		}

		/** Connects raw peers and a stock provider, expects them refused with 1011, and nothing stored changed. */
		async function expectRefusedAndUntouched(meetingId: string, cookie: string) {
			const before = storedRows(srv.app.db, meetingId);
			for (let attempt = 0; attempt < 3; attempt++) {
				const peer = await openRaw(`${srv.yjsUrl}/${meetingId}`, cookie);
				peer.ws.send(Uint8Array.of(MessageType.QueryAwareness));
				expect((await peer.closed).code).toBe(CloseCode.InternalError);
			}
			// A stock provider is refused too (and would retry, since 1011 is not permanent).
			const { provider } = clients.connect(meetingId, new Y.Doc());
			const closes: number[] = [];
			provider.on('connection-close', (event) => {
				if (event) closes.push(event.code);
			});
			await expect.poll(() => closes.length).toBeGreaterThan(0);
			clients.destroy(provider);
			expect(closes.every((code) => code === CloseCode.InternalError)).toBe(true);

			await expect.poll(() => srv.app.documents.get(meetingId)).toBeUndefined();
			expect(storedRows(srv.app.db, meetingId)).toEqual(before);
		}

		it('with a corrupt snapshot: 1011, and the stored rows stay byte-identical', async () => {
			const meeting = await storedMeeting('Tapaaminen: Veikko Ylönen');
			const original = storedRows(srv.app.db, meeting.id).snapshot!;
			srv.app.db.prepare('UPDATE yjs_snapshots SET data = ? WHERE meeting_id = ?').run(garbage, meeting.id);

			await expectRefusedAndUntouched(meeting.id, meeting.cookie);
			expect(storedRows(srv.app.db, meeting.id).snapshot).toEqual(garbage);

			// Repaired, the meeting loads with everything that was there.
			srv.app.db.prepare('UPDATE yjs_snapshots SET data = ? WHERE meeting_id = ?').run(original, meeting.id);
			const reader = await clients.connectSynced(meeting.id);
			expect(questions(reader.doc).get('q1')).toBe('Kuka soittaa Kelaan? (Elina Östman)');
		});

		it('with a corrupt entry in the update log: 1011, and the stored rows stay byte-identical', async () => {
			const meeting = await storedMeeting('Möte: Sigrid Åkerlund');
			// A valid logged update, then a corrupt one.
			const later = new Y.Doc();
			questions(later).set('q2', 'Vem bokar nästa möte? (Ulla Öst)');
			// Appended as the store appends (it stores what it is given; checking is the endpoint's work).
			await srv.app.store.append(meeting.id, Y.encodeStateAsUpdate(later));
			const corrupt = await srv.app.store.append(meeting.id, garbage);
			expect(updateLogLength(srv.app.db, meeting.id)).toBe(2);

			await expectRefusedAndUntouched(meeting.id, meeting.cookie);
			expect(updateLogLength(srv.app.db, meeting.id)).toBe(2);

			srv.app.db.prepare('DELETE FROM yjs_updates WHERE meeting_id = ? AND id = ?').run(meeting.id, corrupt);
			const reader = await clients.connectSynced(meeting.id);
			expect(questions(reader.doc).toJSON()).toEqual({
				q1: 'Kuka soittaa Kelaan? (Elina Östman)',
				q2: 'Vem bokar nästa möte? (Ulla Öst)'
			});
		});
	});
});
