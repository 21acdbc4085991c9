import type { Awareness } from 'y-protocols/awareness';

/** What the room shows of a peer's awareness: who (as the server set it) and where they edit. */
export interface PeerPresence {
	participantId: string;
	section: string | null;
}

/** Which section each participant is editing, from Yjs awareness (the `user` field is the server's). */
export class PresenceView {
	#peers = $state.raw<PeerPresence[]>([]);
	readonly #awareness: Awareness;

	constructor(awareness: Awareness) {
		this.#awareness = awareness;
		awareness.on('change', this.#read);
		this.#read();
	}

	get peers(): PeerPresence[] {
		return this.#peers;
	}

	/** The section a participant is editing now, if any (any of their devices). */
	sectionOf(participantId: string): string | null {
		return this.#peers.find((peer) => peer.participantId === participantId && peer.section)?.section ?? null;
	}

	destroy(): void {
		this.#awareness.off('change', this.#read);
	}

	#read = () => {
		const peers: PeerPresence[] = [];
		for (const [clientId, state] of this.#awareness.getStates()) {
			if (clientId === this.#awareness.clientID) continue;
			const user = state.user as { participantId?: unknown } | undefined;
			if (typeof user?.participantId !== 'string') continue;
			peers.push({ participantId: user.participantId, section: typeof state.section === 'string' ? state.section : null });
		}
		this.#peers = peers;
	};
}
