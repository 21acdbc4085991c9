import type * as Y from 'yjs';
import {
	readActions,
	readGoals,
	readOpenQuestions,
	readPerspectives,
	localizeServices,
	readServices,
	type Action,
	type Goal,
	type OpenQuestion,
	type Service
} from '$lib/meeting';
import { getLocale } from '$lib/paraglide/runtime';

/**
 * Plain, reactive copies of the meeting document's lists for rendering. Yjs stays the source of
 * truth: after every change (local or remote) the lists are read again through `$lib/meeting`, at
 * most once per task, however many updates arrived.
 */
export class DocumentView {
	#services = $state.raw<Service[]>([]);
	#goals = $state.raw<Goal[]>([]);
	#actions = $state.raw<Action[]>([]);
	#openQuestions = $state.raw<OpenQuestion[]>([]);
	#perspectives = $state.raw<Map<string, string>>(new Map());
	#scheduled = false;
	readonly #doc: Y.Doc;

	constructor(doc: Y.Doc) {
		this.#doc = doc;
		doc.on('update', this.#schedule);
		this.#read();
	}

	get services() {
		return this.#services;
	}
	get goals() {
		return this.#goals;
	}
	get actions() {
		return this.#actions;
	}
	get openQuestions() {
		return this.#openQuestions;
	}
	/** Participant id → perspective text. */
	get perspectives() {
		return this.#perspectives;
	}

	destroy(): void {
		this.#doc.off('update', this.#schedule);
	}

	#schedule = () => {
		if (this.#scheduled) return;
		this.#scheduled = true;
		queueMicrotask(() => {
			this.#scheduled = false;
			this.#read();
		});
	};

	#read(): void {
		// Names in the reader's language (issue #21 item 7): a catalogue service by its catalogue name in
		// this locale, a free-text one as written. Every list, map, picker and timeline reads these.
		this.#services = localizeServices(readServices(this.#doc), getLocale());
		this.#goals = readGoals(this.#doc);
		this.#actions = readActions(this.#doc);
		this.#openQuestions = readOpenQuestions(this.#doc);
		this.#perspectives = readPerspectives(this.#doc);
	}
}
