import type { Duplex } from 'node:stream';

/**
 * One socket's writes, as a `HeldWrites` holds them. Made once per socket (`HeldWrites.for`) and kept
 * by its owner, so holding its writes again looks nothing up and allocates nothing.
 */
export class HeldSocket {
	/** Bytes held in the current batch. */
	bytes = 0;
	held = false;

	constructor(
		readonly socket: Duplex,
		readonly writes: HeldWrites
	) {}

	/** Call before writing `bytes` to the socket: holds them until the current batch of work is done. */
	hold(bytes: number): void {
		this.writes.hold(this, bytes);
	}
}

/**
 * Holds what is written to each socket while the server works through one batch of events, and lets
 * it go when that work is done: one `writev` per socket instead of one per message.
 *
 * After a commit (server/yjs/storage.ts) each meeting in it relays its updates, and the presence
 * changes queued behind them, in the same run of the microtask queue: to each peer that is an edit
 * and a caret move, often several, and each was its own system call — the largest single cost
 * in the server's CPU profile (docs/performance.md). A held socket's writes wait in Node's buffer
 * (`cork`) until the next `process.nextTick` after the first write, which Node runs once the current
 * callback and every microtask it queued have finished: nothing waits for another turn of the loop.
 *
 * `ws` corks around each frame itself; corking nests, so its frames stay whole. A socket that ends
 * meanwhile is uncorked by `end()`; uncorking it again does nothing, and neither does uncorking a
 * destroyed one.
 */
export class HeldWrites {
	/**
	 * The slots held in this batch: the first `#count` entries of an array kept from batch to batch.
	 * A Map emptied after every batch allocated a new hash table each time, and the server's heap
	 * profile showed those tables as its largest source of garbage that lived on into the old
	 * generation, where only a full collection frees it (docs/performance.md).
	 */
	#batch: (HeldSocket | undefined)[] = [];
	/** The other array: `flush` walks one while anything it sets off holds into the other. */
	#spare: (HeldSocket | undefined)[] = [];
	#count = 0;
	#heldNow = 0;
	#scheduled = false;

	/**
	 * @param maxHeldBytes What one socket may hold. A write that would take it further lets the socket
	 *   go at once: a batch is for many small messages, and what a socket holds counts against its
	 *   peer's send buffer (a slow consumer is closed at `MAX_BUFFERED_BYTES`), so a burst of large
	 *   updates must reach the kernel at once.
	 */
	constructor(readonly maxHeldBytes = 64 * 1024) {}

	/** The holder of `socket`'s writes; keep it for as long as the socket. */
	for(socket: Duplex): HeldSocket {
		return new HeldSocket(socket, this);
	}

	/** Holds `bytes` about to be written to the slot's socket until the current batch of work is done. */
	hold(slot: HeldSocket, bytes: number): void {
		if (!slot.held) {
			if (bytes >= this.maxHeldBytes) return;
			slot.socket.cork();
			slot.held = true;
			slot.bytes = bytes;
			this.#heldNow++;
			// A socket let go earlier in this batch and held again has two entries: `flush` lets it go at the
			// first and skips the second.
			this.#batch[this.#count++] = slot;
			if (!this.#scheduled) {
				this.#scheduled = true;
				process.nextTick(this.flush);
			}
		} else if (slot.bytes + bytes >= this.maxHeldBytes) {
			// What it holds goes first, then this write follows straight on.
			this.#release(slot);
		} else {
			slot.bytes += bytes;
		}
	}

	/** Lets every held socket write now. */
	readonly flush = (): void => {
		this.#scheduled = false;
		const batch = this.#batch;
		const count = this.#count;
		this.#batch = this.#spare;
		this.#spare = batch;
		this.#count = 0;
		for (let i = 0; i < count; i++) {
			const slot = batch[i]!;
			// Not kept past the batch: a closed socket must not stay reachable from here.
			batch[i] = undefined;
			if (slot.held) this.#release(slot);
		}
	};

	/** Sockets holding writes now. */
	get size(): number {
		return this.#heldNow;
	}

	#release(slot: HeldSocket): void {
		slot.held = false;
		slot.bytes = 0;
		this.#heldNow--;
		slot.socket.uncork();
	}
}
