import { createHash } from 'node:crypto';

/** Keys longer than this are kept as their SHA-256 (a limiter never keeps what an attacker sent). */
export const maxRawKeyLength = 64;

/** Keys a limiter keeps at most, whatever the input (issue 20). */
export const defaultMaxKeys = 10_000;

/**
 * A sliding-window limiter in memory: at most `limit` attempts per key within `windowMs`.
 * In memory is enough for one process; scale-out moves it to Redis with socket.io's adapter.
 *
 * Its memory is bounded independently of the input (issue 20: 100 sign-ins with a 450 KiB e-mail
 * kept about 47 MiB, because the raw e-mail was the key even of a refused attempt): a key longer
 * than `maxRawKeyLength` is hashed, each key keeps at most `limit` timestamps, and past `maxKeys`
 * keys the expired ones are swept and then the oldest are evicted. Evicting a key forgets its
 * attempts, so `maxKeys` is large next to the keys one window sees in normal use.
 */
export class RateLimiter {
	/** Insertion order is the order of each key's first attempt in its window (re-inserted when renewed). */
	readonly #hits = new Map<string, number[]>();
	readonly #limit: number;
	readonly #windowMs: number;
	readonly #maxKeys: number;

	constructor(options: { limit: number; windowMs: number; maxKeys?: number }) {
		this.#limit = options.limit;
		this.#windowMs = options.windowMs;
		this.#maxKeys = options.maxKeys ?? defaultMaxKeys;
	}

	/** Counts an attempt; `retryAfterSeconds` says when the next one will be allowed. */
	hit(rawKey: string, now = Date.now()): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
		const key = limiterKey(rawKey);
		const recent = (this.#hits.get(key) ?? []).filter((at) => at > now - this.#windowMs);
		if (recent.length >= this.#limit) {
			this.#hits.set(key, recent);
			return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((recent[0]! + this.#windowMs - now) / 1000)) };
		}
		recent.push(now);
		this.#hits.delete(key);
		this.#hits.set(key, recent);
		if (this.#hits.size > this.#maxKeys) this.#evict(now);
		return { allowed: true };
	}

	/** Forgets a key's attempts (after a successful sign-in). */
	reset(rawKey: string): void {
		this.#hits.delete(limiterKey(rawKey));
	}

	/** What the limiter holds: keys and the characters of their keys (for tests and metrics). */
	get stats(): { keys: number; keyChars: number } {
		let keyChars = 0;
		for (const key of this.#hits.keys()) keyChars += key.length;
		return { keys: this.#hits.size, keyChars };
	}

	#evict(now: number): void {
		for (const [key, hits] of this.#hits) {
			if (hits.every((at) => at <= now - this.#windowMs)) this.#hits.delete(key);
		}
		// Still full of live keys (a flood of distinct ones): the oldest go first, down to nine tenths
		// of the cap, so the sweep runs once per many new keys, not on every one.
		const target = Math.floor(this.#maxKeys * 0.9);
		for (const key of this.#hits.keys()) {
			if (this.#hits.size <= target) break;
			this.#hits.delete(key);
		}
	}
}

/** A key as the limiter keeps it: short ones as they are, longer ones as their SHA-256. */
export function limiterKey(raw: string): string {
	return raw.length <= maxRawKeyLength ? raw : `sha256:${createHash('sha256').update(raw).digest('base64url')}`;
}

/**
 * A token bucket: `rate` tokens a second, at most `burst` saved up. Each connection (Yjs and
 * socket.io) has its own, per kind of message (docs/close-codes.md, "Limits").
 */
export class TokenBucket {
	#tokens: number;
	#last: number;
	readonly #rate: number;
	readonly #burst: number;

	constructor(rate: number, burst: number, now = performance.now()) {
		this.#rate = rate;
		this.#burst = burst;
		this.#tokens = burst;
		this.#last = now;
	}

	/** Takes a token; false when none is left. */
	take(now = performance.now()): boolean {
		this.#refill(now);
		if (this.#tokens < 1) return false;
		this.#tokens -= 1;
		return true;
	}

	/**
	 * True while the bucket is not in debt. For costs known only after the work (the bytes of an
	 * answer): ask first, then `spend` what it cost, which may run the bucket into debt, so one
	 * large answer is always possible and the next waits until the debt is paid back.
	 */
	available(now = performance.now()): boolean {
		this.#refill(now);
		return this.#tokens > 0;
	}

	spend(cost: number, now = performance.now()): void {
		this.#refill(now);
		this.#tokens -= cost;
	}

	#refill(now: number): void {
		this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) / 1000) * this.#rate);
		this.#last = now;
	}
}
