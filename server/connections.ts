/** Something live that can be cut off: a Yjs websocket or a socket.io socket. */
export interface Closable {
	close(code: number, reason: string): void;
}

/**
 * Every live connection, indexed by the participant and the account behind it, so that revoking a
 * participant or disabling an account closes their connections at once, on every channel.
 */
export class LiveConnections {
	readonly #byParticipant = new Map<string, Set<Closable>>();
	readonly #byUser = new Map<string, Set<Closable>>();

	/** Registers a connection; returns the function that unregisters it. */
	add(connection: Closable, owner: { participantId?: string | null; userId?: string | null }): () => void {
		const entries: Array<[Map<string, Set<Closable>>, string]> = [];
		if (owner.participantId) entries.push([this.#byParticipant, owner.participantId]);
		if (owner.userId) entries.push([this.#byUser, owner.userId]);
		for (const [index, key] of entries) {
			let set = index.get(key);
			if (!set) index.set(key, (set = new Set()));
			set.add(connection);
		}
		return () => {
			for (const [index, key] of entries) {
				const set = index.get(key);
				set?.delete(connection);
				if (set?.size === 0) index.delete(key);
			}
		};
	}

	closeParticipant(participantId: string, code: number, reason: string): number {
		return this.#closeAll(this.#byParticipant.get(participantId), code, reason);
	}

	closeUser(userId: string, code: number, reason: string): number {
		return this.#closeAll(this.#byUser.get(userId), code, reason);
	}

	#closeAll(set: Set<Closable> | undefined, code: number, reason: string): number {
		if (!set) return 0;
		const all = [...set];
		for (const connection of all) connection.close(code, reason);
		return all.length;
	}
}
