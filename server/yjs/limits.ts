/** Per-connection limits of the Yjs endpoint (docs/close-codes.md); none of the peers has them. */
export interface ConnectionLimits {
	/** Sustained updates per second, and how many may come at once. */
	updatesPerSecond: number;
	updateBurst: number;
	awarenessPerSecond: number;
	awarenessBurst: number;
	/** Bytes received but not yet processed (waiting behind a load or a slow store). */
	maxQueuedBytes: number;
}

export const defaultLimits: ConnectionLimits = {
	updatesPerSecond: 60,
	updateBurst: 240,
	awarenessPerSecond: 60,
	awarenessBurst: 240,
	maxQueuedBytes: 4 * 1024 * 1024
};

/** A token bucket: `rate` tokens a second, at most `burst` saved up. */
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
		this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) / 1000) * this.#rate);
		this.#last = now;
		if (this.#tokens < 1) return false;
		this.#tokens -= 1;
		return true;
	}
}
