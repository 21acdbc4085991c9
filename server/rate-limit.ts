/**
 * A sliding-window limiter in memory: at most `limit` attempts per key within `windowMs`.
 * In memory is enough for one process; scale-out moves it to Redis with socket.io's adapter.
 */
export class RateLimiter {
	readonly #hits = new Map<string, number[]>();
	readonly #limit: number;
	readonly #windowMs: number;

	constructor(options: { limit: number; windowMs: number }) {
		this.#limit = options.limit;
		this.#windowMs = options.windowMs;
	}

	/** Counts an attempt; `retryAfterSeconds` says when the next one will be allowed. */
	hit(key: string, now = Date.now()): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
		const recent = (this.#hits.get(key) ?? []).filter((at) => at > now - this.#windowMs);
		if (recent.length >= this.#limit) {
			this.#hits.set(key, recent);
			return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((recent[0]! + this.#windowMs - now) / 1000)) };
		}
		recent.push(now);
		this.#hits.set(key, recent);
		if (this.#hits.size > 10_000) this.#sweep(now);
		return { allowed: true };
	}

	/** Forgets a key's attempts (after a successful sign-in). */
	reset(key: string): void {
		this.#hits.delete(key);
	}

	#sweep(now: number): void {
		for (const [key, hits] of this.#hits) {
			if (hits.every((at) => at <= now - this.#windowMs)) this.#hits.delete(key);
		}
	}
}
