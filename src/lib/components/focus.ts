import { tick } from 'svelte';

/**
 * Moves focus to the first enabled element matching `selector` once Svelte has rendered the change
 * that caused it (two ticks: the state change, then the keyed list it moves), else to `fallback`.
 * Keeps a keyboard user's place when the element they used moves, disappears or is disabled.
 *
 * Without a fallback, an element that is not there yet is waited for (at most `waitMs`): an editor
 * appears only once CodeMirror has loaded, on demand (docs/performance.md). Focus moves then only if
 * the person has not moved it meanwhile.
 */
export async function focusWhenRendered(selector: string, fallback?: string, waitMs = 5000): Promise<void> {
	const before = document.activeElement;
	await tick();
	await tick();
	const find = () => document.querySelector<HTMLElement>(`${selector}:not([disabled])`);
	let target = find() ?? (fallback ? document.querySelector<HTMLElement>(fallback) : null);
	if (!target && !fallback) {
		target = await appearing(find, waitMs);
		if (document.activeElement !== before && document.activeElement !== document.body) return;
	}
	target?.focus();
}

/** The element `find` returns once it is in the document, or null after `waitMs`. */
function appearing(find: () => HTMLElement | null, waitMs: number): Promise<HTMLElement | null> {
	return new Promise((resolve) => {
		const observer = new MutationObserver(() => {
			const found = find();
			if (found) done(found);
		});
		const timer = setTimeout(() => done(null), waitMs);
		function done(found: HTMLElement | null) {
			observer.disconnect();
			clearTimeout(timer);
			resolve(found);
		}
		observer.observe(document.body, { childList: true, subtree: true });
	});
}

/** Focus after moving item `id` one step: the same button, or the other direction's at the top or bottom. */
export const focusAfterMove = (id: string, direction: 'up' | 'down') =>
	focusWhenRendered(`[data-move="${id}:${direction}"]`, `[data-move="${id}:${direction === 'up' ? 'down' : 'up'}"]`);
