/** Per-connection limits of the Yjs endpoint (docs/close-codes.md, "Limits"); none of the peers has them. */
export interface ConnectionLimits {
	/** Sustained updates per second, and how many may come at once. */
	updatesPerSecond: number;
	updateBurst: number;
	awarenessPerSecond: number;
	awarenessBurst: number;
	/**
	 * Requests for an answer (sync step 1, query awareness) per second, and at once. A stock provider
	 * sends one sync step 1 per connection; each request makes the server send a document or every
	 * presence state, so they get a budget of their own (issue 20: a flood of four-byte sync step 1
	 * frames cost 14.5 s of CPU and stalled every meeting).
	 */
	requestsPerSecond: number;
	requestBurst: number;
	/**
	 * Bytes of answers (sync step 2, awareness states) the server sends a connection per second, and
	 * at once. The first answer is always sent, however large; after that a connection whose answers
	 * have used up the budget is closed with 4429 until it has earned it back.
	 */
	answerBytesPerSecond: number;
	answerBurstBytes: number;
	/** Bytes received but not yet processed (waiting behind a load or a slow store). */
	maxQueuedBytes: number;
	/** Messages received but not yet processed: bounds the work queued per connection, whatever their size. */
	maxQueuedMessages: number;
}

export const defaultLimits: ConnectionLimits = {
	updatesPerSecond: 60,
	updateBurst: 240,
	awarenessPerSecond: 60,
	awarenessBurst: 240,
	requestsPerSecond: 5,
	requestBurst: 30,
	answerBytesPerSecond: 1024 * 1024,
	answerBurstBytes: 4 * 1024 * 1024,
	maxQueuedBytes: 4 * 1024 * 1024,
	maxQueuedMessages: 1024
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
