import type { Duplex } from 'node:stream';

/**
 * Holds what is written to each socket during one turn of the event loop and lets it go at the end
 * of the turn, in one `writev` per socket.
 *
 * An edit relayed to a meeting's other participants is usually followed, within the same turn, by the
 * sender's awareness (its caret moved): without this each message is its own system call per peer.
 * The socket's writes wait in Node's own buffer (`cork`) until the check phase of this turn
 * (`setImmediate`), which runs right after the I/O callbacks that caused them, so nothing is delayed
 * past the turn that produced it. `ws` corks around each frame itself; corking nests, so its frames
 * stay whole. A socket that ends meanwhile is uncorked by `end()`; uncorking it again does nothing.
 */
export class TurnWrites {
	readonly #held = new Set<Duplex>();
	#scheduled = false;

	/** Holds the socket's writes until the end of this turn (once per socket per turn). */
	hold(socket: Duplex): void {
		if (this.#held.has(socket)) return;
		socket.cork();
		this.#held.add(socket);
		if (!this.#scheduled) {
			this.#scheduled = true;
			setImmediate(this.flush);
		}
	}

	/** Lets every held socket write now. */
	readonly flush = (): void => {
		this.#scheduled = false;
		const sockets = [...this.#held];
		this.#held.clear();
		for (const socket of sockets) socket.uncork();
	};

	/** Sockets holding writes (for tests). */
	get held(): number {
		return this.#held.size;
	}
}
