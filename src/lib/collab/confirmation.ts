import * as Y from 'yjs';

type Snapshot = ReturnType<typeof Y.snapshot>;

/** True when every change in `inner` (insertions and deletions) is also in `outer`. */
export function snapshotContains(outer: Snapshot, inner: Snapshot): boolean {
	for (const [client, clock] of inner.sv) {
		if ((outer.sv.get(client) ?? 0) < clock) return false;
	}
	for (const [client, deletions] of inner.ds.clients) {
		const covering = outer.ds.clients.get(client) ?? [];
		for (const { clock, len } of deletions) {
			// Both lists are sorted and merged: find a range of `outer` covering [clock, clock + len).
			const end = clock + len;
			let covered = false;
			for (const range of covering) {
				if (range.clock <= clock && range.clock + range.len >= end) {
					covered = true;
					break;
				}
				if (range.clock > clock) break;
			}
			if (!covered) return false;
		}
	}
	return true;
}

/**
 * What one local edit counts as for a person: the item it touched. An edit inside a list's item (a
 * service's name, a goal's text) is that item; an edit of a whole list (adding or removing an item)
 * is a change of its own each time; any other shared type (the client's own words) is itself.
 * Typing a sentence is one change, not one per keystroke (issue #21, item 6: "Unsaved: 102").
 */
function changeKeys(transaction: Y.Transaction): unknown[] {
	const keys = new Set<unknown>();
	for (const type of transaction.changed.keys()) {
		if (type instanceof Y.Array) {
			keys.add({});
			continue;
		}
		// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any shared type, whatever it holds
		let key: Y.AbstractType<any> = type;
		for (let parent = type.parent; parent; parent = parent.parent) {
			if (parent instanceof Y.Array) break;
			key = parent;
		}
		keys.add(key);
	}
	return [...keys];
}

/**
 * Counts local changes the server has not confirmed storing. A change counts from the moment it is
 * made; it is confirmed when a snapshot of the server's document contains the local document as it
 * was when the check started. `pending` counts updates (one per keystroke: for "is anything
 * unsaved?"); `changes` counts the distinct items edited (for telling a person how many).
 */
export class ConfirmationTracker {
	#made = 0;
	#confirmed = 0;
	/** The item each unconfirmed local edit touched, with the count of updates made when it came. */
	#edits: Array<{ upTo: number; key: unknown }> = [];
	readonly #doc: Y.Doc;
	readonly #isLocal: (origin: unknown) => boolean;
	readonly #onChange: () => void;

	constructor(doc: Y.Doc, options: { isLocal: (origin: unknown) => boolean; onChange: () => void }) {
		this.#doc = doc;
		this.#isLocal = options.isLocal;
		this.#onChange = options.onChange;
		doc.on('afterTransaction', this.#record);
		doc.on('update', this.#count);
	}

	get pending(): number {
		return this.#made - this.#confirmed;
	}

	/** How many distinct items the unconfirmed local edits touched (0 when nothing is pending). */
	get changes(): number {
		if (this.pending === 0) return 0;
		return Math.max(1, new Set(this.#edits.map((edit) => edit.key)).size);
	}

	/** Asks `serverSnapshot` and marks as confirmed what it contains; true when nothing is pending. */
	async check(serverSnapshot: () => Promise<Uint8Array | null>): Promise<boolean> {
		if (this.pending === 0) return true;
		const askedAt = this.#made;
		const local = Y.snapshot(this.#doc);
		const encoded = await serverSnapshot();
		if (!encoded) return false;
		if (snapshotContains(Y.decodeSnapshot(encoded), local)) {
			this.#confirmed = Math.max(this.#confirmed, askedAt);
			this.#edits = this.#edits.filter((edit) => edit.upTo > this.#confirmed);
			this.#onChange();
		}
		return this.pending === 0;
	}

	destroy(): void {
		this.#doc.off('afterTransaction', this.#record);
		this.#doc.off('update', this.#count);
	}

	// 'afterTransaction' comes just before the transaction's 'update': the edit belongs to that update.
	#record = (transaction: Y.Transaction) => {
		if (!this.#isLocal(transaction.origin)) return;
		for (const key of changeKeys(transaction)) this.#edits.push({ upTo: this.#made + 1, key });
	};

	#count = (_update: Uint8Array, origin: unknown) => {
		if (!this.#isLocal(origin)) return;
		this.#made++;
		this.#onChange();
	};
}
