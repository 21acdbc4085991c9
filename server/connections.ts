import { CloseCode, closeReasons } from '../src/lib/protocol/close-codes.js';
import { storedSessionId } from './auth.js';

/** Something live that can be cut off: a Yjs websocket or a socket.io socket. */
export interface Closable {
	close(code: number, reason: string): void;
}

/** Who is behind a connection: any of the participant, the account and the session that opened it. */
export interface ConnectionOwner {
	participantId?: string | null;
	userId?: string | null;
	/** The session id (the cookie's value); its end closes the connection (issue 20, item 5). */
	sessionId?: string | null;
}

/**
 * Every live connection, indexed by the participant, the account and the session behind it, so that
 * revoking a participant, disabling an account or ending a session (sign-out, expiry, a replaced
 * invitation link) closes their connections at once, on every channel.
 */
export class LiveConnections {
	readonly #byParticipant = new Map<string, Set<Closable>>();
	readonly #byUser = new Map<string, Set<Closable>>();
	readonly #bySession = new Map<string, Set<Closable>>();
	/** When each session with live connections expires (ms since the epoch), as last read. */
	readonly #expiresAt = new Map<string, number>();
	readonly #expiryOf: (sessionId: string) => number | null;

	/**
	 * `expiryOf` reads a session's current expiry from the store (null when it no longer exists): a
	 * session used over HTTP in its second half is extended there, so a passed expiry is read again
	 * before anything is closed.
	 */
	constructor(expiryOf: (sessionId: string) => number | null = () => null) {
		this.#expiryOf = expiryOf;
	}

	/** Registers a connection; returns the function that unregisters it. */
	add(connection: Closable, owner: ConnectionOwner): () => void {
		const entries: Array<[Map<string, Set<Closable>>, string]> = [];
		if (owner.participantId) entries.push([this.#byParticipant, owner.participantId]);
		if (owner.userId) entries.push([this.#byUser, owner.userId]);
		if (owner.sessionId) {
			entries.push([this.#bySession, owner.sessionId]);
			// An unknown session reads as expired: the next sweep closes the connection.
			if (!this.#expiresAt.has(owner.sessionId)) this.#expiresAt.set(owner.sessionId, this.#expiryOf(owner.sessionId) ?? 0);
		}
		for (const [index, key] of entries) {
			let set = index.get(key);
			if (!set) index.set(key, (set = new Set()));
			set.add(connection);
		}
		return () => {
			for (const [index, key] of entries) {
				const set = index.get(key);
				set?.delete(connection);
				if (set?.size === 0) {
					index.delete(key);
					if (index === this.#bySession) this.#expiresAt.delete(key);
				}
			}
		};
	}

	closeParticipant(participantId: string, code: number, reason: string): number {
		return this.#closeAll(this.#byParticipant.get(participantId), code, reason);
	}

	closeUser(userId: string, code: number, reason: string): number {
		return this.#closeAll(this.#byUser.get(userId), code, reason);
	}

	/** Closes the connections one session opened (signing out ends that session only, not the account's others). */
	closeSession(sessionId: string, code: number = CloseCode.SessionEnded, reason: string = closeReasons[CloseCode.SessionEnded]): number {
		return this.#closeAll(this.#bySession.get(sessionId), code, reason);
	}

	/**
	 * Closes the connections of the sessions whose stored ids (`storedSessionId`, the hash kept in the
	 * database) are in `stored`: a revoked invitation link names its sessions only by those.
	 */
	closeStoredSessions(stored: ReadonlySet<string>, code: number, reason: string): number {
		let closed = 0;
		for (const sessionId of [...this.#bySession.keys()]) {
			if (stored.has(storedSessionId(sessionId))) closed += this.closeSession(sessionId, code, reason);
		}
		return closed;
	}

	/**
	 * Closes the connections of sessions that have expired by `now` (with 4440): a session that
	 * expires while connected ends its connections as sign-out does. Runs on the app's sweep (every
	 * 500 ms); only sessions whose last known expiry has passed are read from the store again.
	 */
	closeExpired(now = Date.now()): number {
		let closed = 0;
		for (const [sessionId, expiresAt] of this.#expiresAt) {
			if (expiresAt > now) continue;
			const current = this.#expiryOf(sessionId);
			if (current !== null && current > now) {
				this.#expiresAt.set(sessionId, current);
				continue;
			}
			closed += this.closeSession(sessionId, CloseCode.SessionEnded, 'session expired');
		}
		return closed;
	}

	#closeAll(set: Set<Closable> | undefined, code: number, reason: string): number {
		if (!set) return 0;
		const all = [...set];
		for (const connection of all) connection.close(code, reason);
		return all.length;
	}
}
