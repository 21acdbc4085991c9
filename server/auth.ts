import { createHash } from 'node:crypto';
import { Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from 'lucia';
import type { AccountRole } from '../src/lib/protocol/participants.js';
import { sessionCookieName } from '../src/lib/protocol/session.js';
import type { Db } from './db/database.js';
import type { Principal } from './policy.js';

/** Lucia user ids of guests carry this prefix; account ids never do. */
const guestPrefix = 'participant:';

/** Flat (Lucia's `User` interface cannot extend a union): account fields or guest fields are null. */
export interface PrincipalAttributes {
	kind: 'account' | 'guest';
	name: string;
	email: string | null;
	role: AccountRole | null;
	meetingId: string | null;
	participantId: string | null;
}

declare module 'lucia' {
	interface Register {
		Lucia: Auth;
		DatabaseUserAttributes: PrincipalAttributes;
		DatabaseSessionAttributes: Record<never, never>;
	}
}

/**
 * What the `sessions` table keeps of a session id: its SHA-256, never the id itself. The id is the
 * bearer secret in the cookie; a copy of the database (a backup, a stolen disk) then holds nothing
 * that signs anyone in. The id has 160 random bits (Lucia 3), so an unsalted hash is enough.
 */
export const storedSessionId = (sessionId: string) => createHash('sha256').update(sessionId).digest('hex');

/**
 * Lucia's storage, on better-sqlite3 (the official SQLite adapter's peer range refuses
 * better-sqlite3 12). A session belongs to an account or to one participant of one meeting; a
 * disabled account or a revoked participant yields no user, so Lucia deletes the session.
 * Rows are found by the hash of the session id (`storedSessionId`); `getUserSessions` can therefore
 * only return those hashes as ids (nothing here calls it).
 */
export class SqliteSessionAdapter implements Adapter {
	readonly #db: Db;

	constructor(db: Db) {
		this.#db = db;
	}

	async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
		const row = this.#db
			.prepare<[string], { id: string; user_id: string | null; participant_id: string | null; expires_at: number }>(
				'SELECT id, user_id, participant_id, expires_at FROM sessions WHERE id = ?'
			)
			.get(storedSessionId(sessionId));
		if (!row) return [null, null];
		const userId = row.user_id ?? `${guestPrefix}${row.participant_id}`;
		const session: DatabaseSession = { id: sessionId, userId, expiresAt: new Date(row.expires_at), attributes: {} };
		return [session, this.#user(row.user_id, row.participant_id)];
	}

	async getUserSessions(userId: string): Promise<DatabaseSession[]> {
		const [column, id] = this.#owner(userId);
		return this.#db
			.prepare<[string], { id: string; expires_at: number }>(`SELECT id, expires_at FROM sessions WHERE ${column} = ?`)
			.all(id)
			.map((row) => ({ id: row.id, userId, expiresAt: new Date(row.expires_at), attributes: {} }));
	}

	async setSession(session: DatabaseSession): Promise<void> {
		const [column, id] = this.#owner(session.userId);
		this.#db
			.prepare(`INSERT INTO sessions (id, ${column}, expires_at, created_at) VALUES (?, ?, ?, ?)`)
			.run(storedSessionId(session.id), id, session.expiresAt.getTime(), new Date().toISOString());
	}

	async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
		this.#db.prepare('UPDATE sessions SET expires_at = ? WHERE id = ?').run(expiresAt.getTime(), storedSessionId(sessionId));
	}

	async deleteSession(sessionId: string): Promise<void> {
		this.#db.prepare('DELETE FROM sessions WHERE id = ?').run(storedSessionId(sessionId));
	}

	async deleteUserSessions(userId: string): Promise<void> {
		const [column, id] = this.#owner(userId);
		this.#db.prepare(`DELETE FROM sessions WHERE ${column} = ?`).run(id);
	}

	async deleteExpiredSessions(): Promise<void> {
		this.#db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(Date.now());
	}

	#owner(userId: string): ['user_id' | 'participant_id', string] {
		return userId.startsWith(guestPrefix) ? ['participant_id', userId.slice(guestPrefix.length)] : ['user_id', userId];
	}

	#user(userId: string | null, participantId: string | null): DatabaseUser | null {
		if (userId) {
			const user = this.#db
				.prepare<[string], { id: string; name: string; email: string; role: AccountRole; disabled_at: string | null }>(
					'SELECT id, name, email, role, disabled_at FROM users WHERE id = ?'
				)
				.get(userId);
			if (!user || user.disabled_at !== null) return null;
			return { id: user.id, attributes: { kind: 'account', name: user.name, email: user.email, role: user.role, meetingId: null, participantId: null } };
		}
		const participant = this.#db
			.prepare<[string], { id: string; meeting_id: string; name: string; revoked_at: string | null }>(
				'SELECT id, meeting_id, name, revoked_at FROM participants WHERE id = ?'
			)
			.get(participantId!);
		if (!participant || participant.revoked_at !== null) return null;
		return {
			id: `${guestPrefix}${participant.id}`,
			attributes: {
				kind: 'guest',
				name: participant.name,
				email: null,
				role: null,
				meetingId: participant.meeting_id,
				participantId: participant.id
			}
		};
	}
}

export { sessionCookieName };

export type Auth = Lucia<Record<never, never>, PrincipalAttributes>;

/** `lifetimeSeconds`: SESSION_LIFETIME_SECONDS (a working day by default); Lucia extends a session used in its second half. */
export function createAuth(db: Db, lifetimeSeconds = 12 * 60 * 60): Auth {
	return new Lucia(new SqliteSessionAdapter(db), {
		sessionExpiresIn: new TimeSpan(lifetimeSeconds, 's'),
		sessionCookie: { name: sessionCookieName, attributes: { sameSite: 'lax' } },
		getUserAttributes: (attributes) => attributes
	});
}

/**
 * When a session expires now (ms since the epoch), or null when it no longer exists. Read without
 * validating it: a live connection's check must not extend the session as an HTTP request does.
 */
export function sessionExpiry(db: Db, sessionId: string): number | null {
	const row = db
		.prepare<[string], { expires_at: number }>('SELECT expires_at FROM sessions WHERE id = ?')
		.get(storedSessionId(sessionId));
	return row?.expires_at ?? null;
}

export const guestUserId = (participantId: string) => `${guestPrefix}${participantId}`;

/** Resolves a session id (from a cookie) into who is asking. Anonymous when absent or invalid. */
export async function principalFor(
	auth: Auth,
	sessionId: string | null | undefined
): Promise<{ principal: Principal; fresh: boolean; expiresAt: Date | null }> {
	if (!sessionId) return { principal: { kind: 'anonymous' }, fresh: false, expiresAt: null };
	const { session, user } = await auth.validateSession(sessionId);
	if (!session) return { principal: { kind: 'anonymous' }, fresh: false, expiresAt: null };
	const principal: Principal =
		user.kind === 'account'
			? { kind: 'account', userId: user.id, sessionId: session.id, name: user.name, email: user.email!, role: user.role! }
			: {
					kind: 'guest',
					sessionId: session.id,
					name: user.name,
					meetingId: user.meetingId!,
					participantId: user.participantId!
				};
	return { principal, fresh: session.fresh, expiresAt: session.expiresAt };
}

/** The session id in a Cookie header, if any. */
export function sessionIdFromCookieHeader(header: string | undefined): string | null {
	if (!header) return null;
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq === -1) continue;
		if (part.slice(0, eq).trim() === sessionCookieName) {
			const value = part.slice(eq + 1).trim();
			return /^[a-z0-9]{20,64}$/.test(value) ? value : null;
		}
	}
	return null;
}
