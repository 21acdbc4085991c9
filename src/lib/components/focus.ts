import { tick } from 'svelte';

/**
 * Moves focus to the first enabled element matching `selector` once Svelte has rendered the change
 * that caused it (two ticks: the state change, then the keyed list it moves), else to `fallback`.
 * Keeps a keyboard user's place when the element they used moves, disappears or is disabled.
 */
export async function focusWhenRendered(selector: string, fallback?: string): Promise<void> {
	await tick();
	await tick();
	const target =
		document.querySelector<HTMLElement>(`${selector}:not([disabled])`) ?? (fallback ? document.querySelector<HTMLElement>(fallback) : null);
	target?.focus();
}

/** Focus after moving item `id` one step: the same button, or the other direction's at the top or bottom. */
export const focusAfterMove = (id: string, direction: 'up' | 'down') =>
	focusWhenRendered(`[data-move="${id}:${direction}"]`, `[data-move="${id}:${direction === 'up' ? 'down' : 'up'}"]`);
