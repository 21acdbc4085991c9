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
 * Counts local changes the server has not confirmed storing. A change counts from the moment it is
 * made; it is confirmed when a snapshot of the server's document contains the local document as it
 * was when the check started.
 */
export class ConfirmationTracker {
	#made = 0;
	#confirmed = 0;
	readonly #doc: Y.Doc;
	readonly #isLocal: (origin: unknown) => boolean;
	readonly #onChange: () => void;

	constructor(doc: Y.Doc, options: { isLocal: (origin: unknown) => boolean; onChange: () => void }) {
		this.#doc = doc;
		this.#isLocal = options.isLocal;
		this.#onChange = options.onChange;
		doc.on('update', this.#count);
	}

	get pending(): number {
		return this.#made - this.#confirmed;
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
			this.#onChange();
		}
		return this.pending === 0;
	}

	destroy(): void {
		this.#doc.off('update', this.#count);
	}

	#count = (_update: Uint8Array, origin: unknown) => {
		if (!this.#isLocal(origin)) return;
		this.#made++;
		this.#onChange();
	};
}
