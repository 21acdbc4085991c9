import type { Duplex } from 'node:stream';

/**
 * Holds what is written to each socket while the server works through one batch of events, and lets
 * it go when that work is done: one `writev` per socket instead of one per message.
 *
 * After a group commit (server/yjs/storage.ts) every meeting relays the updates of the turn, and the
 * presence changes queued behind them, in the same run of the microtask queue: to each peer that is
 * an edit and a caret move, often several, and each was its own system call — the largest single cost
 * in the server's CPU profile (docs/performance.md). A held socket's writes wait in Node's buffer
 * (`cork`) until the next `process.nextTick` after the first write, which Node runs once the current
 * callback and every microtask it queued have finished: nothing waits for another turn of the loop.
 *
 * `ws` corks around each frame itself; corking nests, so its frames stay whole. A socket that ends
 * meanwhile is uncorked by `end()`; uncorking it again does nothing, and neither does uncorking a
 * destroyed one.
 */
export class HeldWrites {
	/** Held sockets, with the bytes each holds. */
	readonly #held = new Map<Duplex, number>();
	#scheduled = false;

	/**
	 * @param maxHeldBytes What one socket may hold. A write that would take it further lets the socket
	 *   go at once: a batch is for many small messages, and what a socket holds counts against its
	 *   peer's send buffer (a slow consumer is closed at `MAX_BUFFERED_BYTES`), so a burst of large
	 *   updates must reach the kernel as it did before.
	 */
	constructor(readonly maxHeldBytes = 64 * 1024) {}

	/** Call before writing `bytes` to the socket: holds them until the current batch of work is done. */
	hold(socket: Duplex, bytes: number): void {
		const held = this.#held.get(socket);
		if (held === undefined) {
			if (bytes >= this.maxHeldBytes) return;
			socket.cork();
			this.#held.set(socket, bytes);
			if (!this.#scheduled) {
				this.#scheduled = true;
				process.nextTick(this.flush);
			}
		} else if (held + bytes >= this.maxHeldBytes) {
			// What it holds goes first, then this write follows straight on.
			this.#held.delete(socket);
			socket.uncork();
		} else {
			this.#held.set(socket, held + bytes);
		}
	}

	/** Lets every held socket write now. */
	readonly flush = (): void => {
		this.#scheduled = false;
		const sockets = [...this.#held.keys()];
		this.#held.clear();
		for (const socket of sockets) socket.uncork();
	};

	/** Sockets holding writes now. */
	get size(): number {
		return this.#held.size;
	}
}
