/**
 * Stock y-websocket providers editing one meeting concurrently — one of them offline for a while —
 * all end with the same document, and so does anyone who joins later.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { startServer, type TestServer } from '../helpers/server.js';
import { Clients, signedInMeeting, docFromRows, prng, removeDir, stateVectorOf, storedRows, updateLogLength } from './support.js';
import { schemaVersion } from '../../src/lib/meeting/document.js';

let srv: TestServer;
const clients = new Clients(() => srv.yjsUrl);

beforeAll(async () => {
	srv = await startServer({ unloadDelayMs: 20 });
});
afterEach(() => clients.destroyAll());
afterAll(async () => {
	await srv?.close();
	if (srv) removeDir(srv.dataDir);
});

const words = ['työkokeilu', 'kuntoutus', 'Kela', 'päihdetyö', 'ystävä', 'jaksaminen', 'förmåga', 'arbetsprövning', 'hälsa', 'ö'];
const statuses = ['current', 'planned', 'ended', 'suggested'];

/** A participant's perspective: a top-level text of its own (docs/document-model.md, v2). */
const perspective = (doc: Y.Doc, participantId: string) => doc.getText(`perspective:${participantId}`);

/** The parts of the meeting document (docs/document-model.md, v2 layout) these tests write, as plain values. */
function contentOf(doc: Y.Doc) {
	return {
		meta: doc.getMap('meta').toJSON(),
		services: doc.getMap('services').toJSON(),
		goals: doc.getMap('goals').toJSON(),
		perspectives: Object.fromEntries(
			[...doc.share.keys()]
				.filter((name) => name.startsWith('perspective:'))
				.map((name) => [name.slice('perspective:'.length), doc.getText(name).toString()])
				.filter(([, text]) => text !== '')
		),
		clientVoice: doc.getText('clientVoice').toString()
	};
}

const stateOf = (doc: Y.Doc) => ({ sv: stateVectorOf(doc), content: contentOf(doc) });

/**
 * One random edit, as a participant would make it: typing and deleting in the client's own words,
 * adding and changing services (nested maps), goals with their own text and GAS levels (maps in maps).
 */
function randomEdit(doc: Y.Doc, random: () => number, author: string): void {
	const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
	const voice = doc.getText('clientVoice');
	const services = doc.getMap<Y.Map<unknown>>('services');
	const goals = doc.getMap<Y.Map<unknown>>('goals');
	doc.transact(() => {
		const roll = random();
		if (roll < 0.3) {
			voice.insert(Math.floor(random() * (voice.length + 1)), `${pick(words)} (${author}) `);
		} else if (roll < 0.4 && voice.length > 10) {
			voice.delete(Math.floor(random() * (voice.length - 5)), 1 + Math.floor(random() * 4));
		} else if (roll < 0.6) {
			const id = pick(['s1', 's2', 's3', 's4']);
			let service = services.get(id);
			if (!service) {
				service = new Y.Map<unknown>();
				services.set(id, service);
				service.set('id', id);
				service.set('sector', pick(['health', 'social', 'employment', 'kela']));
			}
			service.set(pick(['name', 'status', 'note', 'provider']), pick(statuses) === 'current' ? pick(words) : `${author}: ${pick(words)}`);
			service.set('status', pick(statuses));
		} else if (roll < 0.65 && services.size > 2) {
			services.delete(pick([...services.keys()]));
		} else {
			const id = pick(['g1', 'g2', 'g3']);
			let goal = goals.get(id);
			if (!goal) {
				goal = new Y.Map<unknown>();
				goals.set(id, goal);
				goal.set('id', id);
				goal.set('text', new Y.Text(`Tavoite ${id}: `));
				goal.set('gas', new Y.Map<unknown>());
			}
			const text = goal.get('text');
			if (text instanceof Y.Text) text.insert(text.length, `${pick(words)} `);
			const gas = goal.get('gas');
			if (gas instanceof Y.Map) gas.set(String(Math.floor(random() * 5) - 2), `${author} kuvaa tason: ${pick(words)}`);
		}
	});
}

/** Waits until every doc has the same state as the first (both sides re-read on each try). */
async function inSync(first: Y.Doc, ...others: Y.Doc[]): Promise<void> {
	await vi.waitFor(
		() => {
			for (const other of others) expect(stateOf(other)).toEqual(stateOf(first));
		},
		{ timeout: 15_000, interval: 20 }
	);
}

/** Each doc makes `rounds` random edits, interleaved, yielding to the event loop so messages fly meanwhile. */
async function editConcurrently(editors: { doc: Y.Doc; random: () => number; author: string }[], rounds: number) {
	for (let round = 0; round < rounds; round++) {
		for (const editor of editors) randomEdit(editor.doc, editor.random, editor.author);
		if (round % 3 === 0) await new Promise((resolve) => setImmediate(resolve));
	}
}

describe('convergence', () => {
	it('three providers editing concurrently, one offline for a while, converge; late joiners get the same state', async () => {
		const meeting = (await signedInMeeting(srv.app, clients, 'Verkostotapaaminen: Aino Kärkkäinen')).meeting;
		const a = await clients.connectSynced(meeting.id);
		const b = await clients.connectSynced(meeting.id);
		const c = await clients.connectSynced(meeting.id);
		const ea = { doc: a.doc, random: prng(1), author: 'Aino' };
		const eb = { doc: b.doc, random: prng(2), author: 'Börje' };
		const ec = { doc: c.doc, random: prng(3), author: 'Cecilia' };
		// A current document: the server migrates older ones when it loads them, which would change the state.
		a.doc.getMap('meta').set('schemaVersion', schemaVersion);

		// All three online.
		await editConcurrently([ea, eb, ec], 40);

		// Cecilia goes offline and keeps editing; the others do not see her edits meanwhile.
		c.provider.disconnect();
		expect(c.provider.wsconnected).toBe(false);
		// Her perspective, which no random edit touches, marks what she wrote offline.
		perspective(c.doc, 'cecilia').insert(0, 'Offline-näkemys: Cecilia Öberg, kuntoutusohjaaja.');
		await editConcurrently([ea, eb, ec], 30);
		await inSync(a.doc, b.doc);
		expect(contentOf(a.doc).perspectives).toEqual({});
		expect(contentOf(c.doc).perspectives).toHaveProperty('cecilia');

		// She reconnects while everyone is still editing.
		c.provider.connect();
		await editConcurrently([ea, eb, ec], 20);

		await inSync(a.doc, b.doc, c.doc);
		const converged = stateOf(a.doc);
		expect(converged.content.perspectives).toEqual({ cecilia: 'Offline-näkemys: Cecilia Öberg, kuntoutusohjaaja.' });
		expect(converged.content.clientVoice).toMatch(/\(Aino\)/);
		expect(Object.keys(converged.content.goals).length).toBeGreaterThan(0);
		expect(stateOf(srv.app.documents.get(meeting.id)!.doc)).toEqual(converged);

		// A client joining now gets the same state.
		const d = await clients.connectSynced(meeting.id);
		expect(stateOf(d.doc)).toEqual(converged);

		// Everyone leaves; the document unloads (compacting its log); a client joining later still gets it.
		clients.destroyAll();
		await expect.poll(() => srv.app.documents.get(meeting.id)).toBeUndefined();
		expect(updateLogLength(srv.app.db, meeting.id)).toBe(0);
		expect(stateOf(docFromRows(storedRows(srv.app.db, meeting.id)))).toEqual(converged);
		const e = await clients.connectSynced(meeting.id);
		expect(stateOf(e.doc)).toEqual(converged);
	});

	it('two meetings edited at the same time stay isolated', async () => {
		const first = (await signedInMeeting(srv.app, clients, 'Tapaaminen: Pekka Väisänen')).meeting;
		const second = (await signedInMeeting(srv.app, clients, 'Möte: Åsa Lindström')).meeting;
		const a1 = await clients.connectSynced(first.id);
		const a2 = await clients.connectSynced(first.id);
		const b1 = await clients.connectSynced(second.id);
		const b2 = await clients.connectSynced(second.id);

		perspective(a1.doc, 'pekka').insert(0, 'Pekan näkemys: oppisopimus kiinnostaa.');
		perspective(b1.doc, 'asa').insert(0, 'Åsas syn: vill pröva på arbete.');
		await editConcurrently(
			[
				{ doc: a1.doc, random: prng(11), author: 'Pekka' },
				{ doc: a2.doc, random: prng(12), author: 'Päivi' },
				{ doc: b1.doc, random: prng(13), author: 'Åsa' },
				{ doc: b2.doc, random: prng(14), author: 'Örjan' }
			],
			30
		);

		await inSync(a1.doc, a2.doc);
		await inSync(b1.doc, b2.doc);
		const inFirst = contentOf(a1.doc);
		const inSecond = contentOf(b1.doc);
		expect(inFirst.perspectives).toEqual({ pekka: 'Pekan näkemys: oppisopimus kiinnostaa.' });
		expect(inSecond.perspectives).toEqual({ asa: 'Åsas syn: vill pröva på arbete.' });
		expect(JSON.stringify(inFirst)).not.toMatch(/Åsa|Örjan/);
		expect(JSON.stringify(inSecond)).not.toMatch(/Pekka|Päivi/);

		// The server keeps them apart in memory and on disk.
		expect(stateOf(srv.app.documents.get(first.id)!.doc)).toEqual(stateOf(a1.doc));
		expect(stateOf(srv.app.documents.get(second.id)!.doc)).toEqual(stateOf(b1.doc));
		await expect.poll(() => stateOf(docFromRows(storedRows(srv.app.db, first.id)))).toEqual(stateOf(a1.doc));
		await expect.poll(() => stateOf(docFromRows(storedRows(srv.app.db, second.id)))).toEqual(stateOf(b1.doc));
	});
});
