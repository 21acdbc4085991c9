import * as Y from 'yjs';

/**
 * The deepest a shared type may sit in a meeting's document (a root type is at 0). The document model
 * goes two levels down (`goals` → a goal → its `gas` map or `text`); 32 leaves room to extend it.
 *
 * Why a limit at all: Yjs deletes and garbage-collects nested types recursively. A peer that nests a
 * few thousand maps and then deletes the outermost one overflows the stack while the server applies
 * the deletion — after the update was stored, so the meeting could never be loaded again
 * (tests/integration/fuzz.test.ts). Applying such an update alone to an empty document does not
 * fail (the items it deletes are not there), so parsing cannot catch it; only the live document can.
 */
export const maxTypeDepth = 32;

/** A decoded struct of an update (`Y.decodeUpdate(update).structs`). */
export type Struct = Y.Item | Y.GC | Y.Skip;
/** The structs of an update, as `typeDepthAfter` takes them. */
export const structsOf = (update: Uint8Array): Struct[] => Y.decodeUpdate(update).structs as Struct[];

/** Where an item sits: in a root type (''), in the type held by the item with this id, or unknown. */
type ParentRef = '' | Y.ID | null;

/** Structs of decoded updates, per client in clock order, found by any clock they cover. */
class StructIndex {
	readonly #byClient = new Map<number, Struct[]>();

	add(structs: readonly Struct[]): void {
		for (const struct of structs) {
			let list = this.#byClient.get(struct.id.client);
			if (!list) this.#byClient.set(struct.id.client, (list = []));
			list.push(struct);
		}
		for (const list of this.#byClient.values()) list.sort((a, b) => a.id.clock - b.id.clock);
	}

	find(id: Y.ID): Y.Item | null {
		const list = this.#byClient.get(id.client);
		if (!list) return null;
		let low = 0;
		let high = list.length - 1;
		while (low <= high) {
			const middle = (low + high) >>> 1;
			const struct = list[middle]!;
			if (id.clock < struct.id.clock) high = middle - 1;
			else if (id.clock >= struct.id.clock + struct.length) low = middle + 1;
			else return struct instanceof Y.Item ? struct : null;
		}
		return null;
	}
}

const holdsType = (struct: Struct): struct is Y.Item => struct instanceof Y.Item && struct.content instanceof Y.ContentType;

/**
 * How deep the deepest shared type that an update creates would sit in `doc` (0 when it creates none),
 * given the update's decoded `structs`. Counts the document's pending structs as well, so a chain sent
 * in pieces whose parents arrive last is measured whole, and so does `before`, the structs of updates
 * to be applied just before this one. Stops counting a little past `limit`.
 */
export function typeDepthAfter(
	doc: Y.Doc,
	structs: readonly Struct[],
	limit = maxTypeDepth,
	before: readonly (readonly Struct[])[] = []
): number {
	const types = structs.filter(holdsType);
	if (types.length === 0) return 0;
	const index = new StructIndex();
	index.add(structs);
	// Updates accepted just before this one and not applied yet (the document stores a batch first and
	// applies it after): their types are this update's possible parents.
	for (const earlier of before) index.add(earlier);
	const pending = doc.store.pendingStructs;
	if (pending) {
		const waiting = Y.decodeUpdateV2(pending.update).structs as Struct[];
		index.add(waiting);
		types.push(...waiting.filter(holdsType));
	}

	const liveItem = (id: Y.ID): Y.Item | null => {
		try {
			const struct = Y.getItem(doc.store, id);
			return struct instanceof Y.Item ? struct : null;
		} catch {
			return null;
		}
	};
	const liveDepth = (type: Y.AbstractType<unknown>): number => {
		let depth = 0;
		for (let item = type._item; item !== null && depth <= limit; item = (item.parent as Y.AbstractType<unknown>)._item) depth++;
		return depth;
	};

	// An item written without its parent (it has an origin) sits where its origin sits; origins chain,
	// so the answer is remembered for every item on the way (iteratively: chains may be long).
	const parents = new Map<Y.Item, ParentRef>();
	const parentOf = (item: Y.Item): ParentRef => {
		const chain = new Set<Y.Item>();
		let ref: ParentRef = null;
		for (let current: Y.Item | null = item; current !== null; ) {
			const known = parents.get(current);
			if (known !== undefined) {
				ref = known;
				break;
			}
			// Origins that lead back to an item on the way (a hostile pair of updates, each pointing at
			// the other's item) have no parent to find: unknown, not an endless loop.
			if (chain.has(current)) break;
			chain.add(current);
			const parent = current.parent as unknown;
			if (typeof parent === 'string') {
				ref = '';
				break;
			}
			if (parent instanceof Y.ID) {
				ref = parent;
				break;
			}
			const origin = current.origin ?? current.rightOrigin;
			if (!origin) break;
			const inUpdate = index.find(origin);
			if (inUpdate) {
				current = inUpdate;
				continue;
			}
			const live = liveItem(origin);
			const type = live?.parent as Y.AbstractType<unknown> | null | undefined;
			if (type) ref = type._item ? type._item.id : '';
			break;
		}
		for (const link of chain) parents.set(link, ref);
		return ref;
	};

	let deepest = 0;
	for (const type of types) {
		let depth = 0;
		for (let current: Y.Item | null = type; current !== null && depth <= limit; ) {
			depth++;
			const ref = parentOf(current);
			if (ref === null || ref === '') break;
			current = index.find(ref);
			if (current === null) {
				const live = liveItem(ref);
				if (live?.content instanceof Y.ContentType) depth += liveDepth(live.content.type);
			}
		}
		deepest = Math.max(deepest, depth);
		if (deepest > limit) break;
	}
	return deepest;
}
