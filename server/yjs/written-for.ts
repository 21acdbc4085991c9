import * as Y from 'yjs';
import type { Deletions } from './messages.js';
import type { Struct } from './nesting.js';

/** The top-level name of a member's perspective (docs/document-model.md): `perspective:<participantId>`. */
const perspectivePrefix = 'perspective:';

/**
 * The participant ids whose perspective (`perspective:<id>`) an update writes in: inserts into the
 * text, and deletions of what it holds. The server decides from this who wrote for whom (the scribe,
 * issue #21 item 2), so it is computed from the update's structs against the live document, never
 * from anything the writer claims. An item whose place cannot be found (its origin is neither in the
 * update, nor in those accepted just `before` it, nor in the document) is reported as `unknown`: the caller refuses it unless the writer may
 * write for anyone, because once its origin arrives it could land in someone else's perspective.
 */
export function perspectivesWritten(
	doc: Y.Doc,
	structs: readonly Struct[],
	update: Uint8Array,
	before: readonly (readonly Struct[])[] = [],
	deletions: Deletions = Y.decodeUpdate(update).ds as unknown as Deletions
): { targets: Set<string>; unknown: boolean } {
	const targets = new Set<string>();
	let unknown = false;
	const byId = new Map<number, Y.Item[]>();
	// Updates accepted just before this one in the same batch, not applied yet: its items' origins.
	for (const struct of [...structs, ...before.flat()]) {
		if (!(struct instanceof Y.Item)) continue;
		let list = byId.get(struct.id.client);
		if (!list) byId.set(struct.id.client, (list = []));
		list.push(struct);
	}
	for (const list of byId.values()) list.sort((a, b) => a.id.clock - b.id.clock);
	const inUpdate = (id: Y.ID): Y.Item | null => {
		const list = byId.get(id.client);
		if (!list) return null;
		let low = 0;
		let high = list.length - 1;
		while (low <= high) {
			const middle = (low + high) >>> 1;
			const item = list[middle]!;
			if (id.clock < item.id.clock) high = middle - 1;
			else if (id.clock >= item.id.clock + item.length) low = middle + 1;
			else return item;
		}
		return null;
	};
	const live = (id: Y.ID): Y.Item | null => {
		try {
			const struct = Y.getItem(doc.store, id);
			return struct instanceof Y.Item ? struct : null;
		} catch {
			return null;
		}
	};
	const rootNames = new Map<Y.AbstractType<unknown>, string | null>();
	/** The root name of a type living in the document. */
	const rootOfLiveType = (type: Y.AbstractType<unknown>): string | null => {
		let current = type;
		for (let depth = 0; current._item !== null && depth < 64; depth++) current = current._item.parent as Y.AbstractType<unknown>;
		if (current._item !== null) return null;
		let name = rootNames.get(current);
		if (name === undefined) {
			try {
				name = Y.findRootTypeKey(current);
			} catch {
				name = null;
			}
			rootNames.set(current, name);
		}
		return name;
	};
	const memo = new Map<Y.Item, string | null>();
	const rootOf = (start: Y.Item): string | null => {
		const chain = new Set<Y.Item>();
		let result: string | null = null;
		let current: Y.Item | null = start;
		// Iterative: origins chain through a whole text, and a hostile update may loop them.
		while (current !== null && !chain.has(current)) {
			const known = memo.get(current);
			if (known !== undefined) {
				result = known;
				break;
			}
			chain.add(current);
			const parent = current.parent as unknown;
			if (typeof parent === 'string') {
				result = parent;
				break;
			}
			if (parent instanceof Y.AbstractType) {
				result = rootOfLiveType(parent);
				break;
			}
			// Decoded: the parent is the id of the item holding the type (which sits in the same root),
			// or not written at all, and the item sits where its origin sits.
			const ref: Y.ID | null = parent instanceof Y.ID ? parent : (current.origin ?? current.rightOrigin);
			current = ref === null ? null : (inUpdate(ref) ?? live(ref));
		}
		for (const link of chain) memo.set(link, result);
		return result;
	};
	const note = (root: string | null) => {
		if (root === null) unknown = true;
		else if (root.startsWith(perspectivePrefix)) targets.add(root.slice(perspectivePrefix.length));
	};
	for (const struct of structs) if (struct instanceof Y.Item) note(rootOf(struct));

	// Deletions: of items already in the document (those of the update itself were counted above).
	for (const [client, ranges] of deletions.clients) {
		const stored = doc.store.clients.get(client);
		if (!stored || stored.length === 0) continue;
		for (const { clock, len } of ranges) {
			const last = stored[stored.length - 1]!;
			if (clock >= last.id.clock + last.length) continue;
			let index = clock < stored[0]!.id.clock ? 0 : Y.findIndexSS(stored, clock);
			for (; index < stored.length && stored[index]!.id.clock < clock + len; index++) {
				const struct = stored[index]!;
				if (!(struct instanceof Y.Item) || struct.deleted) continue;
				const parent = struct.parent as unknown;
				if (parent instanceof Y.AbstractType) note(rootOfLiveType(parent));
			}
		}
	}
	return { targets, unknown };
}
