/**
 * The document layout (v2, issue #19; v3, issue #21) against the real server: a v1 document in storage is migrated
 * when it loads, once, and stock y-websocket clients then keep every word of a perspective and every
 * GAS level of a goal, however many devices open them before they have synced, across unloads.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import {
	canSetGoalLevels,
	ownPerspective,
	readGoals,
	readPerspectives,
	readSchemaVersion,
	readServices,
	schemaVersion,
	setGoalLevel,
	setServiceMonths
} from '../../src/lib/meeting/index.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { synced } from '../helpers/yjs-client.js';
import { Clients, docFromRows, removeDir, signedInMeeting, storedRows, updateLogLength } from './support.js';

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

const words = {
	social: 'Sosiaalityö: Sjöström hoitaa asumisen, vuokra on maksettu.',
	employment: 'Työllisyyspalvelut: Äijälä ehdottaa työkokeilua.'
};

/** What a v1 writer stored: perspectives nested in the `perspectives` map, a goal without `gas`. */
function v1Update(): Uint8Array {
	const doc = new Y.Doc();
	doc.transact(() => {
		doc.getMap('meta').set('schemaVersion', 1);
		doc.getMap('perspectives').set('p-social', new Y.Text(words.social));
		doc.getMap('perspectives').set('p-employment', new Y.Text(words.employment));
		const goal = new Y.Map<unknown>();
		doc.getMap('goals').set('g-work', goal);
		goal.set('id', 'g-work');
		goal.set('text', new Y.Text('Haluan työkokeiluun keväällä.'));
		goal.set('area', 'work');
		goal.set('order', 'a0');
	});
	return Y.encodeStateAsUpdate(doc);
}

/** Every client has left; the server unloads the document (compacting what it stored). */
async function unloaded(meetingId: string): Promise<void> {
	clients.destroyAll();
	await vi.waitFor(() => expect(srv.app.documents.get(meetingId)).toBeUndefined(), { timeout: 10_000 });
}

describe('a v1 document in storage', () => {
	it('is migrated when it loads, once; then two devices of one member and two GAS writers keep every word', async () => {
		const { meeting } = await signedInMeeting(srv.app, clients, 'Verkostotapaaminen: Åsa Sjöström');
		await srv.app.store.compact(meeting.id, v1Update(), 0);

		// Read without loading it (a stored copy): the tolerant reader finds the v1 texts.
		expect((await srv.app.plan(meeting.id)).perspectives.map((p) => p.text).sort()).toEqual([words.employment, words.social].sort());

		const laptop = await clients.connectSynced(meeting.id);
		expect(readSchemaVersion(laptop.doc)).toBe(schemaVersion);
		expect(readPerspectives(laptop.doc)).toEqual(new Map([['p-social', words.social], ['p-employment', words.employment]]));
		expect(ownPerspective(laptop.doc, 'p-social').toString()).toBe(words.social);
		expect(canSetGoalLevels(laptop.doc, 'g-work')).toBe(true);
		// The migration is stored like any update: one row in the log.
		expect(updateLogLength(srv.app.db, meeting.id)).toBe(1);
		expect(readSchemaVersion(docFromRows(storedRows(srv.app.db, meeting.id)))).toBe(schemaVersion);

		// Her second device opens the same perspective and types before it has synced.
		const phone = clients.connect(meeting.id, new Y.Doc(), { connect: false });
		ownPerspective(phone.doc, 'p-social').insert(0, 'Puhelimelta: Åsa soittaa Kelaan. ');
		ownPerspective(laptop.doc, 'p-social').insert(words.social.length, ' Läppäriltä: asunto on turvattu.');
		setGoalLevel(laptop.doc, 'g-work', '0', 'Työkokeilu alkaa huhtikuussa.');
		phone.provider.connect();
		await synced(phone.provider);
		setGoalLevel(phone.doc, 'g-work', '2', 'Työkokeilu jatkuu palkkatukityönä.');

		const expected = {
			social: ['Puhelimelta: Åsa soittaa Kelaan.', words.social, 'Läppäriltä: asunto on turvattu.'],
			levels: { '0': 'Työkokeilu alkaa huhtikuussa.', '2': 'Työkokeilu jatkuu palkkatukityönä.' }
		};
		const holdsEverything = (doc: Y.Doc) => {
			const social = readPerspectives(doc).get('p-social') ?? '';
			for (const part of expected.social) expect(social).toContain(part);
			expect(readPerspectives(doc).get('p-employment')).toBe(words.employment);
			expect(readGoals(doc)[0]!.gas).toEqual(expected.levels);
		};
		await vi.waitFor(() => {
			holdsEverything(laptop.doc);
			holdsEverything(phone.doc);
		});

		await unloaded(meeting.id);
		expect(updateLogLength(srv.app.db, meeting.id)).toBe(0);
		const stored = Buffer.from(Y.encodeStateAsUpdate(docFromRows(storedRows(srv.app.db, meeting.id))));

		// Loaded again: already v2, so nothing is migrated or written, and a late joiner has every word.
		const late = await clients.connectSynced(meeting.id);
		holdsEverything(late.doc);
		expect(updateLogLength(srv.app.db, meeting.id)).toBe(0);
		expect(Buffer.from(Y.encodeStateAsUpdate(docFromRows(storedRows(srv.app.db, meeting.id))))).toEqual(stored);

		const plan = await srv.app.plan(meeting.id);
		const social = plan.perspectives.find((p) => p.participantId === 'p-social')!.text;
		for (const part of expected.social) expect(social).toContain(part);
		expect(plan.goals[0]!.gas).toEqual(expected.levels);
	});

	it('of a closed meeting is left as it was closed, and still reads in full', async () => {
		const { meeting } = await signedInMeeting(srv.app, clients, 'Möte: Örjan Åberg');
		await srv.app.store.compact(meeting.id, v1Update(), 0);
		srv.app.db.prepare('UPDATE meetings SET closed_at = ? WHERE id = ?').run(new Date().toISOString(), meeting.id);

		const reader = await clients.connectSynced(meeting.id);
		expect(readSchemaVersion(reader.doc)).toBe(1);
		expect(readPerspectives(reader.doc)).toEqual(new Map([['p-social', words.social], ['p-employment', words.employment]]));
		expect(updateLogLength(srv.app.db, meeting.id)).toBe(0);
	});
});

/** What a v2 writer stored: a service without catalogue entry or months, schema version 2. */
function v2Update(): Uint8Array {
	const doc = new Y.Doc();
	doc.transact(() => {
		doc.getMap('meta').set('schemaVersion', 2);
		const service = new Y.Map<unknown>();
		doc.getMap('services').set('s-trial', service);
		const fields = { id: 's-trial', name: 'Työkokeilu Östermyrassa', sector: 'employment', status: 'planned', provider: '', contact: '', note: '', tie: 'moderate', order: 'a0' };
		for (const [key, value] of Object.entries(fields)) service.set(key, value);
	});
	return Y.encodeStateAsUpdate(doc);
}

describe('a v2 document in storage', () => {
	it('is raised to v3 when it loads, once, stored as one row; its services read as before and take months', async () => {
		const { meeting } = await signedInMeeting(srv.app, clients, 'Nätverksmöte: Åsa Östman');
		await srv.app.store.compact(meeting.id, v2Update(), 0);
		const before = (await srv.app.plan(meeting.id)).services;

		const laptop = await clients.connectSynced(meeting.id);
		expect(readSchemaVersion(laptop.doc)).toBe(3);
		expect(readServices(laptop.doc)).toEqual(before);
		expect(updateLogLength(srv.app.db, meeting.id)).toBe(1);
		expect(setServiceMonths(laptop.doc, 's-trial', { start: '2027-02', end: '2027-05' })).toBeNull();
		await vi.waitFor(() => expect(updateLogLength(srv.app.db, meeting.id)).toBe(2));

		await unloaded(meeting.id);
		const late = await clients.connectSynced(meeting.id);
		expect(readServices(late.doc)[0]).toMatchObject({ name: 'Työkokeilu Östermyrassa', start: '2027-02', end: '2027-05' });
		// Already v3: loading again writes nothing.
		expect(updateLogLength(srv.app.db, meeting.id)).toBe(0);
		expect((await srv.app.plan(meeting.id)).services[0]).toMatchObject({ start: '2027-02', end: '2027-05' });
	});
});
