import { describe, expect, it } from 'vitest';
import { changeBetween, rebase, type TextChange } from './plain-text-change';

function apply(text: string, change: TextChange | null): string {
	if (!change) return text;
	return text.slice(0, change.at) + change.inserted + text.slice(change.at + change.removed);
}

describe('changeBetween', () => {
	it('finds one replacement between the common prefix and suffix', () => {
		expect(changeBetween('Hyvää päivää', 'Hyvää iltaa päivää')).toEqual({ at: 6, removed: 0, inserted: 'iltaa ' });
		expect(changeBetween('Åsa är här', 'Åsa här')).toEqual({ at: 4, removed: 3, inserted: '' });
		expect(changeBetween('', 'Äiti')).toEqual({ at: 0, removed: 0, inserted: 'Äiti' });
		expect(changeBetween('sama', 'sama')).toBeNull();
	});

	it('gives a change that turns the first text into the second, for any pair', () => {
		const words = ['', 'a', 'aa', 'ab', 'ä', 'äå', 'kissa', 'kissat', 'ikkuna', 'Öljy ja vesi'];
		for (const before of words) for (const after of words) expect(apply(before, changeBetween(before, after))).toBe(after);
	});
});

describe('rebase', () => {
	const base = 'Haluan töihin. Selkä on kipeä.';

	it('is the plain change when nobody else wrote', () => {
		expect(apply(base, rebase(base, base + ' Ja uni.', base))).toBe(base + ' Ja uni.');
	});

	it('keeps what others added before and after the typed change', () => {
		const mine = 'Haluan töihin pian. Selkä on kipeä.';
		expect(apply('Hej! ' + base, rebase(base, mine, 'Hej! ' + base))).toBe('Hej! ' + mine);
		expect(apply(base + ' (Kalle)', rebase(base, mine, base + ' (Kalle)'))).toBe(mine + ' (Kalle)');
	});

	it('removes what was deleted only while it is still there unchanged', () => {
		const mine = 'Haluan töihin.';
		expect(apply(base, rebase(base, mine, base))).toBe(mine);
		// Someone rewrote the deleted sentence meanwhile: their words stay.
		const now = 'Haluan töihin. Selkä on jo parempi.';
		expect(apply(now, rebase(base, mine, now))).toBe(now);
	});

	it('never drops what was typed, even when its place is gone', () => {
		const now = 'Kokonaan uusi teksti';
		expect(apply(now, rebase('abc', 'abXc', now))).toBe('Kokonaan uusi teksti X');
		expect(apply('', rebase('abc', 'abXc', ''))).toContain('X');
	});

	it('changes nothing when nothing was typed', () => {
		expect(rebase(base, base, 'muuta')).toBeNull();
	});
});
