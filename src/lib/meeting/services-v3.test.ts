/**
 * Schema v3 (issue #21 items 7, 8): a service keeps its catalogue entry and reads in the reader's
 * language; planned months are validated; overlaps and gaps between services planned in sequence are
 * found; v1 and v2 documents migrate to v3, once, and two replicas migrating at once converge.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addService,
	checkServiceMonths,
	localizeServices,
	migrateDocument,
	readGoals,
	readPerspectives,
	readSchemaVersion,
	readServices,
	renameService,
	schemaVersion,
	serviceName,
	serviceSequence,
	setServiceMonths,
	shiftMonth,
	updateService
} from './index';
import { exchange } from '../../../tests/helpers/replicas';

const kuntoutus = {
	catalogueId: 'cat-kuntoutus',
	catalogueNameFi: 'Ammatillinen kuntoutus (Kela)',
	catalogueNameSv: 'Yrkesinriktad rehabilitering (FPA)'
};

describe('a catalogue service in the reader’s language', () => {
	it('keeps its entry and reads in Swedish for sv, in Finnish for fi and en; free text stays as written', () => {
		const doc = new Y.Doc();
		const id = addService(doc, { name: 'Ammatillinen kuntoutus (Kela)', sector: 'kela', ...kuntoutus });
		addService(doc, { name: 'Åsas kamratstöd i Närpes' });
		const [catalogue, free] = readServices(doc);
		expect(catalogue).toMatchObject({ id, ...kuntoutus });
		expect(serviceName(catalogue!, 'sv')).toBe('Yrkesinriktad rehabilitering (FPA)');
		expect(serviceName(catalogue!, 'fi')).toBe('Ammatillinen kuntoutus (Kela)');
		expect(serviceName(catalogue!, 'en')).toBe('Ammatillinen kuntoutus (Kela)');
		expect(serviceName(free!, 'fi')).toBe('Åsas kamratstöd i Närpes');
		expect(free).not.toHaveProperty('catalogueId');
		expect(localizeServices([catalogue!, free!], 'sv').map((s) => s.name)).toEqual(['Yrkesinriktad rehabilitering (FPA)', 'Åsas kamratstöd i Närpes']);
	});

	it('an entry without a Swedish name reads in Finnish; renaming makes it free text', () => {
		const doc = new Y.Doc();
		const id = addService(doc, { name: 'Työkokeilu', catalogueId: 'cat-kokeilu', catalogueNameFi: 'Työkokeilu', catalogueNameSv: '' });
		expect(serviceName(readServices(doc)[0]!, 'sv')).toBe('Työkokeilu');
		renameService(doc, id, 'Työkokeilu Äijälän verstaalla');
		const renamed = readServices(doc)[0]!;
		expect(renamed).not.toHaveProperty('catalogueId');
		expect(serviceName(renamed, 'sv')).toBe('Työkokeilu Äijälän verstaalla');
	});

	it('an old plan version’s service (no v3 fields) reads as written', () => {
		expect(serviceName({ name: 'Sjöströms stödgrupp' }, 'sv')).toBe('Sjöströms stödgrupp');
	});
});

describe('planned months', () => {
	it('accepts YYYY-MM or empty, and an end not before the start', () => {
		expect(checkServiceMonths('2027-01', '2027-06')).toBeNull();
		expect(checkServiceMonths('', '')).toBeNull();
		expect(checkServiceMonths('2027-03', '2027-03')).toBeNull();
		expect(checkServiceMonths('', '2027-03')).toBeNull();
		expect(checkServiceMonths('2027-13', '')).toBe('start_invalid');
		expect(checkServiceMonths('27-03', '')).toBe('start_invalid');
		expect(checkServiceMonths('2027-3', '')).toBe('start_invalid');
		expect(checkServiceMonths('2027-03-01', '')).toBe('start_invalid');
		expect(checkServiceMonths('2027-01', 'maaliskuu')).toBe('end_invalid');
		expect(checkServiceMonths('2027-06', '2027-01')).toBe('end_before_start');
	});

	it('bad input writes nothing; good input is stored and cleared', () => {
		const doc = new Y.Doc();
		const id = addService(doc, { name: 'Työkokeilu' });
		const updates: Uint8Array[] = [];
		doc.on('update', (update: Uint8Array) => updates.push(update));
		expect(setServiceMonths(doc, id, { start: '2027-06', end: '2027-01' })).toBe('end_before_start');
		expect(setServiceMonths(doc, id, { start: '2027-00', end: '' })).toBe('start_invalid');
		expect(setServiceMonths(doc, 'missing', { start: '2027-01', end: '' })).toBe('not_found');
		expect(updates).toEqual([]);
		expect(setServiceMonths(doc, id, { start: ' 2027-01 ', end: '2027-04' })).toBeNull();
		expect(readServices(doc)[0]).toMatchObject({ start: '2027-01', end: '2027-04' });
		expect(setServiceMonths(doc, id, { start: '', end: '2027-04' })).toBeNull();
		expect(readServices(doc)[0]).not.toHaveProperty('start');
	});

	it('a month some other writer stored badly reads as not set', () => {
		const doc = new Y.Doc();
		const id = addService(doc, { name: 'Työkokeilu' });
		updateService(doc, id, { start: 'ensi keväänä', end: '2027-05' });
		expect(readServices(doc)[0]).not.toHaveProperty('start');
		expect(readServices(doc)[0]!.end).toBe('2027-05');
	});

	it('v3 fields of the wrong type (a hostile or buggy writer) read as not set, never a crash', () => {
		const doc = new Y.Doc();
		const id = addService(doc, { name: 'Sjöströms verkstad' });
		const map = doc.getMap('services').get(id) as Y.Map<unknown>;
		map.set('catalogueId', 42);
		map.set('catalogueNameSv', new Y.Text('Åsa'));
		map.set('start', { month: 1 });
		map.set('end', '2027-99');
		const [service] = readServices(doc);
		expect(service).toEqual(expect.not.objectContaining({ catalogueId: expect.anything(), start: expect.anything(), end: expect.anything() }));
		expect(serviceName(service!, 'sv')).toBe('Sjöströms verkstad');
		expect(serviceSequence([service!]).planned).toEqual([]);
	});

	it('shifts months across years', () => {
		expect(shiftMonth('2027-12', 1)).toBe('2028-01');
		expect(shiftMonth('2027-01', -1)).toBe('2026-12');
	});
});

describe('services planned in sequence', () => {
	function plan(...months: Array<[string, string, string, ('current' | 'planned' | 'ended')?]>) {
		const doc = new Y.Doc();
		for (const [name, start, end, status] of months) addService(doc, { name, start, end, status: status ?? 'planned' });
		return readServices(doc);
	}

	it('finds an overlap (months inclusive) and names the shared months', () => {
		const { overlaps, gaps } = serviceSequence(plan(['Työkokeilu', '2027-01', '2027-04'], ['Kuntoutus', '2027-04', '2027-09']));
		expect(overlaps.map((o) => [o.first.name, o.second.name, o.from, o.to])).toEqual([['Työkokeilu', 'Kuntoutus', '2027-04', '2027-04']]);
		expect(gaps).toEqual([]);
	});

	it('finds a gap of uncovered months, and none when one service follows the next month', () => {
		const found = serviceSequence(plan(['Kuntoutus', '2027-05', '2027-08'], ['Työkokeilu', '2027-01', '2027-02'], ['Palkkatuki', '2027-09', '2027-12']));
		expect(found.planned.map((s) => s.name)).toEqual(['Työkokeilu', 'Kuntoutus', 'Palkkatuki']);
		expect(found.overlaps).toEqual([]);
		expect(found.gaps.map((g) => [g.before.name, g.after.name, g.from, g.to])).toEqual([['Työkokeilu', 'Kuntoutus', '2027-03', '2027-04']]);
	});

	it('a long service covers the months of shorter ones: overlaps, no false gap', () => {
		const found = serviceSequence(plan(['Kuntoutus', '2027-01', '2027-12'], ['Työkokeilu', '2027-02', '2027-03'], ['Palkkatuki', '2027-06', '2027-07']));
		expect(found.overlaps).toHaveLength(2);
		expect(found.gaps).toEqual([]);
	});

	it('leaves out services without both months and ended ones', () => {
		const found = serviceSequence(
			plan(['Työkokeilu', '2027-01', ''], ['Vanha kurssi', '2026-01', '2027-06', 'ended'], ['Kuntoutus', '2027-02', '2027-05'])
		);
		expect(found.planned.map((s) => s.name)).toEqual(['Kuntoutus']);
		expect(found.overlaps).toEqual([]);
	});
});

/** A document as a v2 writer left it: a service and a goal with its `gas` map, schema version 2. */
function v2Document(): Y.Doc {
	const doc = new Y.Doc();
	doc.transact(() => {
		doc.getMap('meta').set('schemaVersion', 2);
		const service = new Y.Map<unknown>();
		doc.getMap('services').set('s-1', service);
		for (const [key, value] of Object.entries({ id: 's-1', name: 'Työkokeilu', sector: 'employment', status: 'planned', provider: '', contact: '', note: '', tie: 'moderate', order: 'a0' }))
			service.set(key, value);
		const goal = new Y.Map<unknown>();
		doc.getMap('goals').set('g-1', goal);
		goal.set('id', 'g-1');
		goal.set('text', new Y.Text('Löydän osa-aikatyön.'));
		goal.set('area', 'work');
		goal.set('order', 'a0');
		goal.set('gas', new Y.Map<unknown>());
		// A v1 text left in the v1 map that the owner since emptied in v2: must not come back.
		doc.getMap('perspectives').set('p-sjostrom', new Y.Text('Vanha näkemys.'));
	});
	return doc;
}

function v1Document(): Y.Doc {
	const doc = new Y.Doc();
	doc.transact(() => {
		doc.getMap('meta').set('schemaVersion', 1);
		doc.getMap('perspectives').set('p-aijala', new Y.Text('Työllisyyspalvelut: Äijälä ehdottaa työkokeilua.'));
		const goal = new Y.Map<unknown>();
		doc.getMap('goals').set('g-1', goal);
		goal.set('id', 'g-1');
		goal.set('text', new Y.Text('Haluan töihin.'));
		goal.set('area', 'work');
		goal.set('order', 'a0');
	});
	return doc;
}

describe('migrating to v3', () => {
	it('is version 3', () => expect(schemaVersion).toBe(3));

	it('v1 → v3: copies perspectives, gives goals their map, raises the version; the second run changes nothing', () => {
		const doc = v1Document();
		expect(migrateDocument(doc, 'server')).toBe(true);
		expect(readSchemaVersion(doc)).toBe(3);
		expect(readPerspectives(doc).get('p-aijala')).toBe('Työllisyyspalvelut: Äijälä ehdottaa työkokeilua.');
		expect(doc.getMap('goals').get('g-1')).toBeInstanceOf(Y.Map);
		expect((doc.getMap('goals').get('g-1') as Y.Map<unknown>).get('gas')).toBeInstanceOf(Y.Map);
		const before = Y.encodeStateAsUpdate(doc);
		expect(migrateDocument(doc)).toBe(false);
		expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
	});

	it('v2 → v3: raises the version only; services read as before; no v1 text comes back', () => {
		const doc = v2Document();
		const servicesBefore = readServices(doc);
		const origins: unknown[] = [];
		doc.on('update', (_u: Uint8Array, origin: unknown) => origins.push(origin));
		expect(migrateDocument(doc, 'server')).toBe(true);
		expect(origins).toEqual(['server']);
		expect(readSchemaVersion(doc)).toBe(3);
		expect(readServices(doc)).toEqual(servicesBefore);
		expect(readPerspectives(doc).has('p-sjostrom')).toBe(false);
		expect(migrateDocument(doc)).toBe(false);
		expect(origins).toHaveLength(1);
	});

	it('an empty document (a new meeting) is not touched', () => {
		const doc = new Y.Doc();
		expect(migrateDocument(doc)).toBe(false);
		expect(readSchemaVersion(doc)).toBeUndefined();
	});

	it('two replicas migrating the same v2 document at once converge', () => {
		const a = v2Document();
		const b = new Y.Doc();
		exchange(a, b);
		// A goal made by an older writer after the v2 raise, without its map: both replicas add one.
		const late = new Y.Map<unknown>();
		a.getMap('goals').set('g-late', late);
		late.set('id', 'g-late');
		late.set('text', new Y.Text('Jaksan liikkua.'));
		late.set('order', 'a1');
		exchange(a, b);
		expect(migrateDocument(a)).toBe(true);
		expect(migrateDocument(b)).toBe(true);
		setServiceMonths(a, 's-1', { start: '2027-01', end: '2027-03' });
		exchange(a, b);
		expect(Y.encodeStateVector(a)).toEqual(Y.encodeStateVector(b));
		expect(readSchemaVersion(b)).toBe(3);
		expect(readServices(a)).toEqual(readServices(b));
		expect(readGoals(a)).toEqual(readGoals(b));
		expect((b.getMap('goals').get('g-late') as Y.Map<unknown>).get('gas')).toBeInstanceOf(Y.Map);
		expect(readServices(b)[0]).toMatchObject({ start: '2027-01', end: '2027-03' });
		expect(migrateDocument(a)).toBe(false);
	});
});
