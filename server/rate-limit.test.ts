import { describe, expect, it } from 'vitest';
import { limiterKey, maxRawKeyLength, RateLimiter } from './rate-limit.js';

describe('RateLimiter', () => {
	it('keeps a long key as its hash, and still limits it', () => {
		const limiter = new RateLimiter({ limit: 2, windowMs: 60_000 });
		const huge = `${'ä'.repeat(450 * 1024)}@example.fi`;
		expect(limiter.hit(huge, 0)).toEqual({ allowed: true });
		expect(limiter.hit(huge, 1)).toEqual({ allowed: true });
		expect(limiter.hit(huge, 2)).toMatchObject({ allowed: false });
		expect(limiter.stats.keys).toBe(1);
		expect(limiter.stats.keyChars).toBeLessThanOrEqual(maxRawKeyLength);
		expect(limiterKey(huge)).not.toBe(limiterKey(`${huge}x`));
	});

	it('holds at most maxKeys keys whatever the input: expired ones go first, then the oldest', () => {
		const limiter = new RateLimiter({ limit: 5, windowMs: 1_000, maxKeys: 100 });
		for (let i = 0; i < 50; i++) limiter.hit(`vanha-${i}@example.fi`, 0);
		// 5,000 distinct keys later, within one window: never more than 100 kept.
		for (let i = 0; i < 5_000; i++) {
			limiter.hit(`Sjöström-${i}-${'ö'.repeat(1000)}@example.fi`, 2_000 + i / 100);
			expect(limiter.stats.keys).toBeLessThanOrEqual(100);
		}
		expect(limiter.stats.keyChars).toBeLessThanOrEqual(100 * maxRawKeyLength);
		// The newest key is still limited.
		const last = `Sjöström-4999-${'ö'.repeat(1000)}@example.fi`;
		for (let i = 0; i < 4; i++) limiter.hit(last, 2_100);
		expect(limiter.hit(last, 2_100)).toMatchObject({ allowed: false });
	});
});
