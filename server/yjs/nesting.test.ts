import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { maxTypeDepth, structsOf, typeDepthAfter } from './nesting.js';

/** The updates a document emits while `edit` runs, one per transaction. */
function updatesOf(doc: Y.Doc, edit: () => void): Uint8Array[] {
	const updates: Uint8Array[] = [];
	const record = (update: Uint8Array) => updates.push(update);
	doc.on('update', record);
	edit();
	doc.off('update', record);
	return updates;
}

/** Maps nested `depth` levels under `services.chain`, written in transactions of `perUpdate` levels. */
function chain(depth: number, perUpdate = depth): Uint8Array[] {
	const doc = new Y.Doc();
	let current: Y.Map<unknown> | null = null;
	return updatesOf(doc, () => {
		for (let done = 0; done < depth; done += perUpdate) {
			doc.transact(() => {
				for (let i = 0; i < perUpdate && done + i < depth; i++) {
					const next = new Y.Map<unknown>();
					if (current) current.set('c', next);
					else doc.getMap('services').set('chain', next);
					current = next;
				}
			});
		}
	});
}

/**
 * An update of one item of `client` at `clock` holding a Y.Map, inserted after the item at `origin`
 * (no parent written: it sits where its origin sits). Two of them can point at each other.
 */
function itemAfter(clock: number, origin: number, client = 5, originClient = 5): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 1); // clients
	encoding.writeVarUint(e, 1); // structs of the client
	encoding.writeVarUint(e, client);
	encoding.writeVarUint(e, clock);
	encoding.writeUint8(e, 0x80 | 7); // has an origin; ContentType
	encoding.writeVarUint(e, originClient);
	encoding.writeVarUint(e, origin); // origin clock
	encoding.writeVarUint(e, 1); // YMap
	encoding.writeVarUint(e, 0); // no deletions
	return encoding.toUint8Array(e);
}

describe('typeDepthAfter', () => {
	it('ends on origins that lead in a circle across updates (a hostile pair), instead of looping', () => {
		const first = itemAfter(0, 1);
		const second = itemAfter(1, 0);
		expect(Y.decodeUpdate(second).structs).toHaveLength(1);
		expect(typeDepthAfter(new Y.Doc(), structsOf(second), maxTypeDepth, [structsOf(first)])).toBeLessThanOrEqual(maxTypeDepth);
		// The same circle through the document's pending structs, across two clients: Yjs keeps both
		// pending; the check must end as well.
		const doc = new Y.Doc();
		Y.applyUpdate(doc, itemAfter(0, 0, 5, 6));
		expect(doc.store.pendingStructs).not.toBeNull();
		expect(typeDepthAfter(doc, structsOf(itemAfter(0, 0, 6, 5)))).toBeLessThanOrEqual(maxTypeDepth);
	});

	it('is 0 for an update that creates no shared type', () => {
		const doc = new Y.Doc();
		const [update] = updatesOf(doc, () => doc.getText('clientVoice').insert(0, 'Haluan palata töihin.'));
		expect(typeDepthAfter(new Y.Doc(), structsOf(update!))).toBe(0);
	});

	it('measures the document model (a goal, its text and its GAS levels) at 2', () => {
		const author = new Y.Doc();
		const live = new Y.Doc();
		const depths = updatesOf(author, () => {
			const goal = new Y.Map<unknown>();
			author.getMap('goals').set('g1', goal);
			author.transact(() => {
				goal.set('text', new Y.Text('Työkokeilu kirjastossa'));
				goal.set('gas', new Y.Map());
			});
		}).map((update) => {
			const depth = typeDepthAfter(live, structsOf(update));
			Y.applyUpdate(live, update);
			return depth;
		});
		expect(depths).toEqual([1, 2]);
	});

	it('counts types inserted after others in a list through their origins', () => {
		const doc = new Y.Doc();
		const [update] = updatesOf(doc, () =>
			doc.transact(() => {
				const list = doc.getArray<Y.Map<unknown>>('openQuestions');
				for (let i = 0; i < 500; i++) list.insert(i, [new Y.Map()]);
			})
		);
		expect(typeDepthAfter(new Y.Doc(), structsOf(update!))).toBe(1);
	});

	it('finds a chain thousands of levels deep in one update', () => {
		expect(typeDepthAfter(new Y.Doc(), structsOf(chain(3000)[0]!))).toBeGreaterThan(maxTypeDepth);
	});

	it('adds the depth a type already has in the live document', () => {
		const live = new Y.Doc();
		const depths = chain(100, 20).map((update) => {
			const depth = typeDepthAfter(live, structsOf(update));
			if (depth <= maxTypeDepth) Y.applyUpdate(live, update);
			return depth;
		});
		// 20 levels are accepted; the next 20 would reach 40 (counting stops just past the limit).
		expect(depths[0]).toBe(20);
		expect(depths[1]).toBe(maxTypeDepth + 1);
	});

	it('joins a chain sent in pieces whose parents come last, through the pending structs', () => {
		const live = new Y.Doc();
		const pieces = chain(100, 20).reverse();
		const depths = pieces.map((update) => {
			const depth = typeDepthAfter(live, structsOf(update));
			if (depth <= maxTypeDepth) Y.applyUpdate(live, update);
			return depth;
		});
		expect(depths.some((depth) => depth > maxTypeDepth)).toBe(true);
	});
});
