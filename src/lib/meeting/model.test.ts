import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	actionText,
	addAction,
	addGoal,
	addOpenQuestion,
	addService,
	ensurePerspective,
	keyAt,
	moveAction,
	moveService,
	readActions,
	readGoals,
	readOpenQuestions,
	readPerspectives,
	readSchemaVersion,
	readServices,
	removeAction,
	removeService,
	setGoalLevel,
	top,
	updateAction,
	updateService
} from './index';

/** Two replicas that exchange updates only when `sync()` is called: a network partition on demand. */
function replicas() {
	const a = new Y.Doc();
	const b = new Y.Doc();
	const sync = () => {
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
	};
	return { a, b, sync };
}

const ids = (items: { id: string }[]) => items.map((item) => item.id);

describe('the meeting document model', () => {
	it('adds services, goals, actions and questions in order, with the schema version', () => {
		const doc = new Y.Doc();
		const kela = addService(doc, { name: 'Kelan ammatillinen kuntoutus', sector: 'kela', status: 'planned', tie: 'tenuous' });
		const nurse = addService(doc, { name: 'Psykiatrinen sairaanhoitaja', sector: 'health' }, 0);
		expect(ids(readServices(doc))).toEqual([nurse, kela]);
		expect(readServices(doc)[1]).toMatchObject({ sector: 'kela', status: 'planned', tie: 'tenuous' });

		const goal = addGoal(doc, { text: 'Haluan päästä työkokeiluun keväällä', area: 'work' });
		setGoalLevel(doc, goal, '0', 'Työkokeilu alkaa huhtikuussa');
		setGoalLevel(doc, goal, '2', 'Työkokeilu jatkuu palkkatukityönä');
		expect(readGoals(doc)[0]).toMatchObject({ text: 'Haluan päästä työkokeiluun keväällä', area: 'work', gas: { '0': 'Työkokeilu alkaa huhtikuussa', '2': 'Työkokeilu jatkuu palkkatukityönä' } });

		const action = addAction(doc, { text: 'Varataan aika terveystarkastukseen', goalId: goal, serviceId: nurse, due: '2027-01-15' });
		updateAction(doc, action, { status: 'doing' });
		expect(readActions(doc)[0]).toMatchObject({ goalId: goal, serviceId: nurse, due: '2027-01-15', status: 'doing' });
		expect(() => updateAction(doc, action, { due: '15.1.2027' })).toThrow(RangeError);

		addOpenQuestion(doc, 'Riittääkö toimeentulo kuntoutuksen aikana?');
		expect(readOpenQuestions(doc)[0]).toMatchObject({ text: 'Riittääkö toimeentulo kuntoutuksen aikana?', resolved: false });
		ensurePerspective(doc, 'participant-1').insert(0, 'Sosiaalityön näkökulma: asunto on turvattu.');
		expect(readPerspectives(doc).get('participant-1')).toBe('Sosiaalityön näkökulma: asunto on turvattu.');
		expect(readSchemaVersion(doc)).toBe(3);
	});

	it('reads unknown or damaged values tolerantly, never crashing', () => {
		const doc = new Y.Doc();
		const weird = new Y.Map<unknown>();
		weird.set('name', 42);
		weird.set('sector', 'space_agency');
		weird.set('status', null);
		weird.set('tie', 'telepathic');
		weird.set('order', '!!not a key');
		top.services(doc).set('weird', weird);
		top.services(doc).set('not-a-map', 'just a string');
		const action = new Y.Map<unknown>();
		action.set('due', 'tomorrow');
		action.set('status', 'maybe');
		top.actions(doc).set('a1', action);

		expect(readServices(doc)).toEqual([
			{ id: 'weird', name: '', sector: 'other', status: 'current', provider: '', contact: '', note: '', tie: 'moderate', order: '!!not a key' }
		]);
		expect(readActions(doc)[0]).toMatchObject({ id: 'a1', due: '', status: 'todo', text: '' });
		// Placing next to a damaged key still works: the damaged key is stepped over.
		expect(addService(doc, { name: 'Työkokeilu' })).toBeTypeOf('string');
		expect(readServices(doc)).toHaveLength(2);
		// The reader never rewrote what it could not understand.
		expect(weird.get('sector')).toBe('space_agency');
	});

	it('places a new key strictly between different neighbours, stepping over equal keys', () => {
		const sorted = [
			{ id: 'a', order: 'a0' },
			{ id: 'b', order: 'a1' },
			{ id: 'c', order: 'a1' },
			{ id: 'd', order: 'a2' }
		];
		const between = keyAt(sorted, 2);
		expect(between > 'a1' && between < 'a2').toBe(true);
		expect(keyAt(sorted, 0) < 'a0').toBe(true);
		expect(keyAt(sorted, 4) > 'a2').toBe(true);
		expect(keyAt([], 0)).toBeTypeOf('string');
	});

	it('merges concurrent inserts at the same place without duplicates or losses, in one agreed order', () => {
		const { a, b, sync } = replicas();
		addService(a, { name: 'Terveystarkastus' });
		addService(a, { name: 'Sosiaalinen kuntoutus' });
		sync();
		// Both insert between the same two services while partitioned.
		const fromA = addService(a, { name: 'Fysioterapia' }, 1);
		const fromB = addService(b, { name: 'Opinto-ohjaus' }, 1);
		sync();
		const onA = readServices(a);
		expect(onA).toEqual(readServices(b));
		expect(onA.map((s) => s.name)).toHaveLength(4);
		expect(new Set(ids(onA)).size).toBe(4);
		expect(ids(onA)).toContain(fromA);
		expect(ids(onA)).toContain(fromB);
		expect(onA[0]!.name).toBe('Terveystarkastus');
		expect(onA[3]!.name).toBe('Sosiaalinen kuntoutus');
	});

	it('merges concurrent moves of the same and different actions: same order, no duplicates', () => {
		const { a, b, sync } = replicas();
		const actions = ['Terveystarkastus', 'Työkokeilu', 'Kuntoutustuki', 'Opinnot', 'Vertaistuki'].map((text) =>
			addAction(a, { text })
		);
		sync();
		// Both move the first action, to different places, and each moves another one too.
		moveAction(a, actions[0]!, 4);
		moveAction(b, actions[0]!, 2);
		moveAction(a, actions[3]!, 0);
		moveAction(b, actions[4]!, 0);
		sync();
		const onA = ids(readActions(a));
		expect(onA).toEqual(ids(readActions(b)));
		expect([...onA].sort()).toEqual([...actions].sort());
	});

	it('merges concurrent deletes, edits and moves: a deleted item stays deleted, texts merge', () => {
		const { a, b, sync } = replicas();
		const s1 = addService(a, { name: 'Kuntouttava työtoiminta', sector: 'social' });
		const s2 = addService(a, { name: 'Järjestön vertaisryhmä', sector: 'third_sector' });
		const action = addAction(a, { text: 'Aloitus' });
		sync();
		removeService(a, s1);
		updateService(b, s1, { status: 'ended' });
		moveService(b, s2, 0);
		updateService(a, s2, { tie: 'strong' });
		actionText(a, action)!.insert(0, 'Sanna soittaa. ');
		actionText(b, action)!.insert(actionText(b, action)!.length, ' Åsa varaa ajan.');
		removeAction(b, action);
		sync();
		expect(readServices(a)).toEqual(readServices(b));
		expect(ids(readServices(a))).toEqual([s2]);
		expect(readServices(a)[0]).toMatchObject({ tie: 'strong', sector: 'third_sector' });
		expect(readActions(a)).toEqual([]);
		expect(readActions(b)).toEqual([]);
	});

	it('keeps many random concurrent operations convergent (seeded)', () => {
		let seed = 20261122;
		const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
		const { a, b, sync } = replicas();
		for (let round = 0; round < 30; round++) {
			for (const doc of [a, b]) {
				const existing = readActions(doc);
				const op = random();
				if (op < 0.5 || existing.length < 2) addAction(doc, { text: `toimenpide ${round}` }, Math.floor(random() * (existing.length + 1)));
				else if (op < 0.85) moveAction(doc, existing[Math.floor(random() * existing.length)]!.id, Math.floor(random() * existing.length));
				else removeAction(doc, existing[Math.floor(random() * existing.length)]!.id);
			}
			if (random() < 0.3) sync();
		}
		sync();
		const onA = readActions(a);
		expect(onA).toEqual(readActions(b));
		expect(new Set(ids(onA)).size).toBe(onA.length);
	});
});
