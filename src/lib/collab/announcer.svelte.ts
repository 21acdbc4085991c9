/**
 * Text for one polite live region. Remote changes can arrive many per second; announcing each would
 * flood a screen reader, so messages that arrive close together are spoken as one: the first few in
 * full, then "and N more changes" (issue #7: "remote changes announced … without flooding").
 */
export class Announcer {
	#message = $state('');
	#queue: string[] = [];
	#timer: ReturnType<typeof setTimeout> | undefined;
	readonly #summarize: (shown: string[], more: number) => string;
	readonly #delay: number;

	/** `summarize` joins the messages of one burst (localized by the caller). */
	constructor(summarize: (shown: string[], more: number) => string, delay = 1200) {
		this.#summarize = summarize;
		this.#delay = delay;
	}

	get message(): string {
		return this.#message;
	}

	/** Queues a message about someone else's change; spoken after a short quiet moment. */
	say(text: string): void {
		this.#queue.push(text);
		clearTimeout(this.#timer);
		this.#timer = setTimeout(this.#flush, this.#delay);
	}

	/** Speaks the result of the person's own action at once (e.g. "moved to position 3 of 5"). */
	now(text: string): void {
		clearTimeout(this.#timer);
		this.#queue = [];
		this.#set(text);
	}

	destroy(): void {
		clearTimeout(this.#timer);
	}

	#flush = () => {
		const queue = this.#queue;
		this.#queue = [];
		if (queue.length === 0) return;
		this.#set(queue.length <= 2 ? queue.join(' ') : this.#summarize(queue.slice(0, 2), queue.length - 2));
	};

	// The same sentence twice in a row would not be announced again: clear first, then set.
	#set(text: string): void {
		this.#message = '';
		setTimeout(() => (this.#message = text), 50);
	}
}
