/**
 * Plain-text changes for the client's words field (PlainCollabText.svelte): what one edit of a
 * textarea changed, and how to apply a change made against an older text to the text as it is now.
 */

/** One contiguous change: at `at`, `removed` characters were replaced by `inserted`. */
export interface TextChange {
	at: number;
	removed: number;
	inserted: string;
}

/**
 * The change from `before` to `after` as one replacement between their common prefix and suffix
 * (what a single edit of a textarea is); null when they are equal.
 */
export function changeBetween(before: string, after: string): TextChange | null {
	const shortest = Math.min(before.length, after.length);
	let prefix = 0;
	while (prefix < shortest && before[prefix] === after[prefix]) prefix++;
	let suffix = 0;
	while (suffix < shortest - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
	const removed = before.length - prefix - suffix;
	const inserted = after.slice(prefix, after.length - suffix);
	return removed === 0 && inserted === '' ? null : { at: prefix, removed, inserted };
}

/**
 * The change someone made from `base` to `mine`, applied to `now` (the same text after others wrote
 * in it meanwhile): a three-way merge for one replacement. It applies where the text around it is
 * still as it was: after the same prefix, or before the same suffix. What they removed is removed
 * only if it is still there unchanged; otherwise only what they inserted goes in, at the end when
 * its place is gone. Nothing typed is dropped; nothing others wrote is deleted. Null when `mine`
 * changed nothing.
 */
export function rebase(base: string, mine: string, now: string): TextChange | null {
	const change = changeBetween(base, mine);
	if (!change) return null;
	if (now === base) return change;
	const before = base.slice(0, change.at);
	const removedText = base.slice(change.at, change.at + change.removed);
	const after = base.slice(change.at + change.removed);
	const removable = (at: number) => (now.slice(at, at + removedText.length) === removedText ? removedText.length : 0);
	if (now.startsWith(before)) return { at: change.at, removed: removable(change.at), inserted: change.inserted };
	if (now.endsWith(after)) {
		const end = now.length - after.length;
		const removed = end - removedText.length >= 0 ? removable(end - removedText.length) : 0;
		return { at: end - removed, removed, inserted: change.inserted };
	}
	if (change.inserted === '') return null;
	const separator = now === '' || /\s$/.test(now) ? '' : ' ';
	return { at: now.length, removed: 0, inserted: separator + change.inserted };
}
