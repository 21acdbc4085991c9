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
	 * Earlier links of the participant stay valid (issue #21 item 9: a coordinator who makes a new link
	 * for a second device does not expect the first to stop working); each is listed (`valid`) and
	 * revoked on its own (`revoke`), which ends the sessions made from it.
	 */
	issue(participantId: string, ttlMs: number, now = new Date()): { id: string; token: string; expiresAt: string } {
		const token = randomBytes(32).toString('base64url');
		const id = randomBytes(12).toString('base64url');
		const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
		this.#db
			.prepare('INSERT INTO invites (id, participant_id, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?)')
			.run(id, participantId, hashToken(token), expiresAt, now.toISOString());
		return { id, token, expiresAt };
	}

	/** The links of a participant that still work (not revoked, not expired), oldest first. */
	valid(participantId: string, now = new Date()): Array<{ id: string; createdAt: string; expiresAt: string }> {
		return this.#db
			.prepare<[string, string], { id: string; created_at: string; expires_at: string }>(
				'SELECT id, created_at, expires_at FROM invites WHERE participant_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at, rowid'
			)
			.all(participantId, now.toISOString())
			.map((row) => ({ id: row.id, createdAt: row.created_at, expiresAt: row.expires_at }));
	}

	/**
	 * Revokes one link of a participant and deletes the sessions made from it, in one transaction;
	 * when no valid link is left, every guest session of the participant ends too (sessions made
	 * before links were told apart name none). Returns the stored ids of the sessions deleted, for
	 * closing their live connections, or null when no such valid link was found.
	 */
	revoke(participantId: string, inviteId: string, now = new Date()): string[] | null {
		return this.#db.transaction(() => {
			const changed = this.#db
				.prepare('UPDATE invites SET revoked_at = ? WHERE id = ? AND participant_id = ? AND revoked_at IS NULL')
				.run(now.toISOString(), inviteId, participantId).changes;
			if (changed === 0) return null;
			const lastLink = this.valid(participantId, now).length === 0;
			const ended = lastLink
				? this.#db.prepare<[string], string>('SELECT id FROM sessions WHERE participant_id = ?').pluck().all(participantId)
				: this.#db.prepare<[string, string], string>('SELECT id FROM sessions WHERE participant_id = ? AND invite_id = ?').pluck().all(participantId, inviteId);
			const remove = this.#db.prepare('DELETE FROM sessions WHERE id = ?');
			for (const id of ended) remove.run(id);
			return ended;
		})();
	}

	/** Names the link a guest session was made from (by the session's stored id). */
	bindSession(storedSessionId: string, inviteId: string): void {
		this.#db.prepare('UPDATE sessions SET invite_id = ? WHERE id = ?').run(inviteId, storedSessionId);
	}

	/** The participant a token invites, or why it does not. */
	check(
		token: string,
		now = new Date()
	): { ok: true; participantId: string; inviteId: string } | { ok: false; reason: InviteRefusal; participantId?: string } {
		if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { ok: false, reason: 'unknown' };
		const row = this.#db
			.prepare<[string], InviteRow>('SELECT id, participant_id, expires_at, revoked_at FROM invites WHERE token_hash = ?')
			.get(hashToken(token));
		if (!row) return { ok: false, reason: 'unknown' };
		if (row.revoked_at !== null) return { ok: false, reason: 'revoked', participantId: row.participant_id };
		if (row.expires_at <= now.toISOString()) return { ok: false, reason: 'expired', participantId: row.participant_id };
		return { ok: true, participantId: row.participant_id, inviteId: row.id };
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
				'SELECT expires_at FROM invites WHERE participant_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at DESC, rowid DESC LIMIT 1'
			)
			.get(participantId, now.toISOString());
		return row?.expires_at ?? null;
	}
}
