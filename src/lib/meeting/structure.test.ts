/**
 * Shared structure and concurrent replicas (issue #19): no replica's text or levels may be lost
 * because two replicas each created "the same" structure before they had synced, and a v1 document
 * migrates to v2 holding every word.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addGoal,
	canSetGoalLevels,
	migrateDocument,
	ownPerspective,
	perspectiveText,
	readGoals,
	readPerspectives,
	readSchemaVersion,
	schemaVersion,
	setGoalLevel
} from './index';
import { exchange } from '../../../tests/helpers/replicas';

/** A document as a v1 writer left it: nested perspectives, a goal without `gas`, schema version 1. */
function v1Document(): Y.Doc {
	const doc = new Y.Doc();
	doc.transact(() => {
		doc.getMap('meta').set('schemaVersion', 1);
		const perspectives = doc.getMap('perspectives');
		perspectives.set('p-sjostrom', new Y.Text('Sosiaalityö: Sjöström hoitaa asumisen, vuokra on maksettu.'));
		perspectives.set('p-aijala', new Y.Text('Työllisyyspalvelut: Äijälä ehdottaa työkokeilua.'));
		perspectives.set('p-empty', new Y.Text(''));
		const goals = doc.getMap('goals');
		const plain = new Y.Map<unknown>();
		goals.set('g-plain', plain);
		plain.set('id', 'g-plain');
		plain.set('text', new Y.Text('Haluan löytää työn, joka sopii selälleni.'));
		plain.set('area', 'work');
		plain.set('order', 'a0');
		const scaled = new Y.Map<unknown>();
		goals.set('g-scaled', scaled);
		scaled.set('id', 'g-scaled');
		scaled.set('text', new Y.Text('Jaksan liikkua päivittäin.'));
		scaled.set('area', 'health');
		scaled.set('order', 'a1');
		const gas = new Y.Map<unknown>();
		scaled.set('gas', gas);
		gas.set('0', 'Kävelen puoli tuntia kolmesti viikossa.');
	});
	return doc;
}

describe('perspectives (v2: one top-level text per participant)', () => {
	it('two documents that start empty and each open the same participant’s perspective before syncing merge without losing either’s text', () => {
		// A reload, a language switch or a second device: each replica opens the perspective before it has synced.
		const laptop = new Y.Doc();
		const phone = new Y.Doc();
		ownPerspective(laptop, 'p-sjostrom').insert(0, 'Asunto on turvattu. ');
		ownPerspective(phone, 'p-sjostrom').insert(0, 'Åsa tuntee perheen.');

		exchange(laptop, phone);

		for (const doc of [laptop, phone]) {
			const text = readPerspectives(doc).get('p-sjostrom') ?? '';
			expect(text).toContain('Asunto on turvattu.');
			expect(text).toContain('Åsa tuntee perheen.');
			expect(perspectiveText(doc, 'p-sjostrom')?.toString()).toBe(text);
		}
		expect(readPerspectives(laptop)).toEqual(readPerspectives(phone));
	});

	it('a late joiner that opens its own perspective before syncing keeps what was stored', () => {
		const stored = new Y.Doc();
		ownPerspective(stored, 'p-aijala').insert(0, 'Kelan kuntoutus on haettu.');
		const late = new Y.Doc();
		// Naming the text writes nothing: there is no update until someone types.
		const updates: Uint8Array[] = [];
		late.on('update', (update: Uint8Array) => updates.push(update));
		ownPerspective(late, 'p-aijala');
		expect(updates).toEqual([]);
		exchange(stored, late);
		expect(readPerspectives(late).get('p-aijala')).toBe('Kelan kuntoutus on haettu.');
	});

	it('lists only perspectives that hold text, and ignores other top-level names', () => {
		const doc = new Y.Doc();
		ownPerspective(doc, 'p-empty');
		ownPerspective(doc, 'p-written').insert(0, 'Ö');
		doc.getText('perspective:').insert(0, 'no participant');
		doc.getText('clientVoice').insert(0, 'Minun sanani.');
		expect(readPerspectives(doc)).toEqual(new Map([['p-written', 'Ö']]));
	});
});

describe('GAS levels (every goal has its map from the start)', () => {
	it('levels of one goal set on two replicas concurrently all survive', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const goal = addGoal(a, { text: 'Palaan töihin osa-aikaisesti.', area: 'work' });
		exchange(a, b);

		expect(setGoalLevel(a, goal, '0', 'Neljä tuntia päivässä.')).toBe(true);
		expect(setGoalLevel(a, goal, '-1', 'Kaksi tuntia päivässä.')).toBe(true);
		expect(setGoalLevel(b, goal, '2', 'Kokoaikatyö.')).toBe(true);
		exchange(a, b);

		const levels = { '-1': 'Kaksi tuntia päivässä.', '0': 'Neljä tuntia päivässä.', '2': 'Kokoaikatyö.' };
		expect(readGoals(a)[0]!.gas).toEqual(levels);
		expect(readGoals(b)[0]!.gas).toEqual(levels);
	});

	it('a goal without levels reads as none; a goal without a map is never given one by a writer', () => {
		const doc = v1Document();
		const updates: Uint8Array[] = [];
		doc.on('update', (update: Uint8Array) => updates.push(update));
		expect(canSetGoalLevels(doc, 'g-plain')).toBe(false);
		expect(setGoalLevel(doc, 'g-plain', '0', 'Ei tallennu.')).toBe(false);
		expect(updates).toEqual([]);

		const fresh = addGoal(doc, { text: 'Uusi tavoite' });
		expect(canSetGoalLevels(doc, fresh)).toBe(true);
		expect(readGoals(doc).find((goal) => goal.id === fresh)!.gas).toBeNull();
	});
});

describe('migrating a v1 document to the current layout', () => {
	it('keeps every word, gives every goal its map, and changes nothing the second time', () => {
		const doc = v1Document();
		// Read before migrating (a closed meeting's document, a stored copy): the v1 texts.
		expect(readPerspectives(doc).get('p-sjostrom')).toBe('Sosiaalityö: Sjöström hoitaa asumisen, vuokra on maksettu.');

		const origin = Symbol('migration');
		const origins: unknown[] = [];
		doc.on('update', (_update: Uint8Array, from: unknown) => origins.push(from));
		expect(migrateDocument(doc, origin)).toBe(true);
		expect(origins).toEqual([origin]);

		expect(readSchemaVersion(doc)).toBe(schemaVersion);
		expect(readPerspectives(doc)).toEqual(
			new Map([
				['p-sjostrom', 'Sosiaalityö: Sjöström hoitaa asumisen, vuokra on maksettu.'],
				['p-aijala', 'Työllisyyspalvelut: Äijälä ehdottaa työkokeilua.']
			])
		);
		expect(ownPerspective(doc, 'p-aijala').toString()).toBe('Työllisyyspalvelut: Äijälä ehdottaa työkokeilua.');
		// Nothing deleted: a v1 reader still finds its map.
		expect((doc.getMap('perspectives').get('p-sjostrom') as Y.Text).toString()).toContain('Sjöström');
		expect(canSetGoalLevels(doc, 'g-plain')).toBe(true);
		expect(readGoals(doc).map((goal) => [goal.id, goal.text, goal.gas])).toEqual([
			['g-plain', 'Haluan löytää työn, joka sopii selälleni.', null],
			['g-scaled', 'Jaksan liikkua päivittäin.', { '0': 'Kävelen puoli tuntia kolmesti viikossa.' }]
		]);

		const before = Y.encodeStateAsUpdate(doc);
		expect(migrateDocument(doc, origin)).toBe(false);
		expect(origins).toHaveLength(1);
		expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
	});

	it('keeps a v2 text already written, and does not bring a v1 text back once its owner emptied the v2 one', () => {
		const doc = v1Document();
		ownPerspective(doc, 'p-sjostrom').insert(0, 'Uudempi näkemys.');
		migrateDocument(doc);
		expect(readPerspectives(doc).get('p-sjostrom')).toBe('Uudempi näkemys.');

		const own = ownPerspective(doc, 'p-aijala');
		own.delete(0, own.length);
		expect(readPerspectives(doc).has('p-aijala')).toBe(false);
		expect(perspectiveText(doc, 'p-aijala')?.toString()).toBe('');
	});

	it('leaves an empty document and a newer one alone', () => {
		const empty = new Y.Doc();
		expect(migrateDocument(empty)).toBe(false);
		expect(Y.encodeStateVector(empty)).toEqual(Y.encodeStateVector(new Y.Doc()));

		const newer = v1Document();
		newer.getMap('meta').set('schemaVersion', schemaVersion + 1);
		expect(migrateDocument(newer)).toBe(false);
		expect(newer.getMap('goals').get('g-plain')).toBeInstanceOf(Y.Map);
		expect((newer.getMap('goals').get('g-plain') as Y.Map<unknown>).has('gas')).toBe(false);
	});

	it('a migrated v1 goal takes levels from two replicas at once', () => {
		const a = v1Document();
		migrateDocument(a);
		const b = new Y.Doc();
		exchange(a, b);
		setGoalLevel(a, 'g-plain', '1', 'Löydän osa-aikatyön.');
		setGoalLevel(b, 'g-plain', '-2', 'En hae töitä.');
		exchange(a, b);
		expect(readGoals(b).find((goal) => goal.id === 'g-plain')!.gas).toEqual({ '-2': 'En hae töitä.', '1': 'Löydän osa-aikatyön.' });
	});
});
