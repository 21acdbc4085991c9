/**
 * Goal attainment scaling (GAS), as Kela's GAS form uses it: each goal is rated −2…+2, and the goals
 * combine into one T-score with the Kiresuk–Sherman formula
 *
 *   T = 50 + 10 Σ wᵢxᵢ / √((1 − ρ) Σ wᵢ² + ρ (Σ wᵢ)²)
 *
 * with equal weights (wᵢ = 1) and the customary correlation ρ = 0.3. T = 50 means the goals were
 * reached as expected (every rating 0); above 50, better than expected.
 */
export const gasCorrelation = 0.3;

export function gasTScore(ratings: number[], weights: number[] = ratings.map(() => 1), rho = gasCorrelation): number | null {
	if (ratings.length === 0) return null;
	if (weights.length !== ratings.length) throw new RangeError('one weight per rating');
	for (const rating of ratings) {
		if (!Number.isInteger(rating) || rating < -2 || rating > 2) throw new RangeError('a GAS rating is an integer from -2 to 2');
	}
	const weighted = ratings.reduce((sum, x, i) => sum + weights[i]! * x, 0);
	const sumOfSquares = weights.reduce((sum, w) => sum + w * w, 0);
	const sum = weights.reduce((total, w) => total + w, 0);
	return 50 + (10 * weighted) / Math.sqrt((1 - rho) * sumOfSquares + rho * sum * sum);
}
