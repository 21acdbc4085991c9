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
