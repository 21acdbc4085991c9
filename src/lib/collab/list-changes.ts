/** What changed in an ordered list of the document between two readings. */
export interface ListChanges<T> {
	added: T[];
	removed: T[];
	/** Items present in both readings are in a different relative order. */
	reordered: boolean;
}

/**
 * Tells the changes others made to an ordered list (services, goals, actions) from the changes this
 * device made itself, so that only the others' are announced: the person who pressed "move up"
 * hears their own result, not an echo. The first reading (the document arriving) announces nothing.
 */
export class RemoteChanges<T extends { id: string }> {
	#previous: T[] | null = null;
	#local = new Map<string, number>();
	#localOrderUntil = 0;
	readonly #window: number;

	constructor(window = 3000) {
		this.#window = window;
	}

	/** This device added or removed `id` just now. */
	markLocal(id: string): void {
		this.#local.set(id, Date.now());
	}

	/** This device reordered the list just now. */
	markLocalOrder(): void {
		this.#localOrderUntil = Date.now() + this.#window;
	}

	/** The changes in `next` that this device did not make. */
	update(next: T[]): ListChanges<T> {
		const previous = this.#previous;
		this.#previous = next;
		if (previous === null) return { added: [], removed: [], reordered: false };
		const now = Date.now();
		const isLocal = (id: string) => now - (this.#local.get(id) ?? -Infinity) < this.#window;
		const before = new Set(previous.map((item) => item.id));
		const after = new Set(next.map((item) => item.id));
		const added = next.filter((item) => !before.has(item.id) && !isLocal(item.id));
		const removed = previous.filter((item) => !after.has(item.id) && !isLocal(item.id));
		const keptBefore = previous.filter((item) => after.has(item.id)).map((item) => item.id);
		const keptAfter = next.filter((item) => before.has(item.id)).map((item) => item.id);
		const reordered = now > this.#localOrderUntil && keptBefore.some((id, i) => keptAfter[i] !== id);
		for (const [id, at] of this.#local) if (now - at >= this.#window) this.#local.delete(id);
		return { added, removed, reordered };
	}
}
