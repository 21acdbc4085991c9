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
