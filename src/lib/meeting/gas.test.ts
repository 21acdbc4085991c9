import { describe, expect, it } from 'vitest';
import { gasTScore } from './gas';

/**
 * Hand-computed examples of the Kiresuk–Sherman T-score, T = 50 + 10 Σwx / √((1 − ρ) Σw² + ρ (Σw)²),
 * with ρ = 0.3 and equal weights unless said otherwise.
 */
describe('GAS T-score', () => {
	it('is 50 when every goal was reached as expected', () => {
		// One goal at 0: Σwx = 0, so T = 50.
		expect(gasTScore([0])).toBe(50);
		expect(gasTScore([0, 0, 0])).toBe(50);
	});

	it('two goals at +1: 50 + 20 / √(0.7·2 + 0.3·4) = 50 + 20 / √2.6 = 62.40…', () => {
		expect(gasTScore([1, 1])).toBeCloseTo(62.4035, 4);
	});

	it('three goals at −1, 0 and +2: Σx = 1, Σw² = 3, (Σw)² = 9, so 50 + 10 / √(2.1 + 2.7) = 50 + 10 / √4.8 = 54.56…', () => {
		expect(gasTScore([-1, 0, 2])).toBeCloseTo(54.5644, 4);
	});

	it('three goals at −2: 50 − 60 / √4.8 = 22.61…, the lowest a three-goal plan can score', () => {
		expect(gasTScore([-2, -2, -2])).toBeCloseTo(22.6139, 4);
	});

	it('weights: +1 (weight 2) and −1 (weight 1): Σwx = 1, Σw² = 5, Σw = 3, so 50 + 10 / √(3.5 + 2.7) = 54.01…', () => {
		expect(gasTScore([1, -1], [2, 1])).toBeCloseTo(54.0161, 4);
	});

	it('has no score without ratings, and refuses a rating off the −2…+2 scale', () => {
		expect(gasTScore([])).toBeNull();
		expect(() => gasTScore([3])).toThrow(RangeError);
		expect(() => gasTScore([0.5])).toThrow(RangeError);
		expect(() => gasTScore([1, 1], [1])).toThrow(RangeError);
	});
});
