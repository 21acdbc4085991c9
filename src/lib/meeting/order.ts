import { generateKeyBetween } from 'fractional-indexing';

/** Something kept in an explicit order: `order` is a fractional index key (sorts as a string). */
export interface Ordered {
	id: string;
	order: string;
}

/**
 * Sorts by order key, then by id. Two participants inserting at the same place at the same time
 * can produce the same key; the id breaks the tie the same way on every device, so all agree.
 */
export function byOrder(a: Ordered, b: Ordered): number {
	if (a.order !== b.order) return a.order < b.order ? -1 : 1;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A valid key, or null for a stored value that is not one (such an item sorts last). */
function usable(key: string | undefined): string | null {
	if (key === undefined) return null;
	try {
		generateKeyBetween(key, null);
		return key;
	} catch {
		return null;
	}
}

/**
 * The order key for an item placed at `index` in `sorted` (which must not contain the item itself):
 * 0 puts it first, `sorted.length` last. Items sharing a key are stepped over, so the new key is
 * always strictly between two different keys.
 */
export function keyAt(sorted: readonly Ordered[], index: number): string {
	const clamped = Math.max(0, Math.min(index, sorted.length));
	let before: string | null = null;
	for (let i = clamped - 1; i >= 0 && before === null; i--) before = usable(sorted[i]!.order);
	let after: string | null = null;
	for (let i = clamped; i < sorted.length && after === null; i++) {
		const key = usable(sorted[i]!.order);
		if (key !== null && (before === null || key > before)) after = key;
	}
	return generateKeyBetween(before, after);
}

/** Random ids for items, the same in browser, server and tests (Web Crypto). */
export function newId(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(12));
	let binary = '';
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary).replaceAll('+', '-').replaceAll('/', '_');
}
