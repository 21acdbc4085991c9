import type { Awareness } from 'y-protocols/awareness';
import { participantName } from '$lib/i18n/labels';

/** A peer editing some part of the document, as the server named them (never the peer's own claim). */
export interface Editor {
	participantId: string;
	name: string;
	/** The server's colour for this participant; decoration only, always shown with the name. */
	color: string;
}

/**
 * Who is editing which part of the document, from Yjs awareness: `section` is what the peer is
 * editing (e.g. `service:<id>`, `goal:<id>`, `action:<id>`), `user` is set by the server
 * (docs/api.md: "Awareness identity is the server's"). Our own device is left out.
 */
export class EditorsView {
	#bySection = $state.raw<Map<string, Editor[]>>(new Map());
	readonly #awareness: Awareness;

	constructor(awareness: Awareness) {
		this.#awareness = awareness;
		awareness.on('change', this.#read);
		this.#read();
	}

	/** The others editing `section` now, one entry per participant (whatever number of devices). */
	of(section: string): Editor[] {
		return this.#bySection.get(section) ?? [];
	}

	/** Sets (or with null clears) what this device is editing, for the others to see. */
	announce(section: string | null): void {
		const current = this.#awareness.getLocalState()?.section ?? null;
		if (current !== section) this.#awareness.setLocalStateField('section', section);
	}

	/** Clears our section only if it is still `section` (focus may already have moved on). */
	leave(section: string): void {
		if (this.#awareness.getLocalState()?.section === section) this.#awareness.setLocalStateField('section', null);
	}

	destroy(): void {
		this.#awareness.off('change', this.#read);
	}

	#read = () => {
		const bySection = new Map<string, Editor[]>();
		for (const [clientId, state] of this.#awareness.getStates()) {
			if (clientId === this.#awareness.clientID || typeof state.section !== 'string') continue;
			const user = state.user as { participantId?: unknown; name?: unknown; chosenName?: unknown; color?: unknown } | undefined;
			if (typeof user?.participantId !== 'string') continue;
			const editors = bySection.get(state.section) ?? [];
			if (editors.some((editor) => editor.participantId === user.participantId)) continue;
			editors.push({
				participantId: user.participantId,
				// The server's record, with a guest's own chosen name beside it (server/yjs/connection.ts).
				name: participantName({
					name: typeof user.name === 'string' ? user.name : '',
					chosenName: typeof user.chosenName === 'string' ? user.chosenName : null
				}),
				color: typeof user.color === 'string' && /^#[0-9a-f]{3,8}$/i.test(user.color) ? user.color : '#57534e'
			});
			bySection.set(state.section, editors);
		}
		this.#bySection = bySection;
	};
}
