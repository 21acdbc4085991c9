import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './db/database.js';

/** SHA-256 of a token: what is stored, so a copy of the database opens no meeting. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export type InviteRefusal = 'unknown' | 'expired' | 'revoked';

interface InviteRow {
	id: string;
	participant_id: string;
	expires_at: string;
	revoked_at: string | null;
}

export class InviteRepository {
	readonly #db: Db;

	constructor(db: Db) {
		this.#db = db;
	}

	/**
	 * Issues a personal invitation: a random token of 256 bits, of which only the hash is stored.
	 * Earlier invitations of the same participant are revoked, so only the newest link works, and the
	 * sessions made from them end in the same transaction (issue 20, item 5): a guest's sessions come
	 * only from invitation links, and a link is replaced because the old one may be in wrong hands.
	 * The caller closes the participant's live connections.
	 */
	issue(participantId: string, ttlMs: number, now = new Date()): { token: string; expiresAt: string } {
		const token = randomBytes(32).toString('base64url');
		const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
		this.#db.transaction(() => {
			this.revokeFor(participantId, now);
			this.#db.prepare('DELETE FROM sessions WHERE participant_id = ?').run(participantId);
			this.#db
				.prepare('INSERT INTO invites (id, participant_id, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?)')
				.run(randomBytes(12).toString('base64url'), participantId, hashToken(token), expiresAt, now.toISOString());
		})();
		return { token, expiresAt };
	}

	/** The participant a token invites, or why it does not. */
	check(
		token: string,
		now = new Date()
	): { ok: true; participantId: string } | { ok: false; reason: InviteRefusal; participantId?: string } {
		if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { ok: false, reason: 'unknown' };
		const row = this.#db
			.prepare<[string], InviteRow>('SELECT id, participant_id, expires_at, revoked_at FROM invites WHERE token_hash = ?')
			.get(hashToken(token));
		if (!row) return { ok: false, reason: 'unknown' };
		if (row.revoked_at !== null) return { ok: false, reason: 'revoked', participantId: row.participant_id };
		if (row.expires_at <= now.toISOString()) return { ok: false, reason: 'expired', participantId: row.participant_id };
		return { ok: true, participantId: row.participant_id };
	}

	revokeFor(participantId: string, now = new Date()): void {
		this.#db
			.prepare('UPDATE invites SET revoked_at = ? WHERE participant_id = ? AND revoked_at IS NULL')
			.run(now.toISOString(), participantId);
	}

	/** The newest invitation's expiry, for showing; null when none is valid. */
	activeExpiry(participantId: string, now = new Date()): string | null {
		const row = this.#db
			.prepare<[string, string], { expires_at: string }>(
				'SELECT expires_at FROM invites WHERE participant_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at DESC LIMIT 1'
			)
			.get(participantId, now.toISOString());
		return row?.expires_at ?? null;
	}
}
