import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { AccountRole } from '../src/lib/protocol/participants.js';
import { emailMaxLength, passwordMaxLength, passwordMinLength } from '../src/lib/protocol/account-limits.js';
import type { Db } from './db/database.js';

export interface User {
	id: string;
	email: string;
	name: string;
	role: AccountRole;
	disabled: boolean;
	createdAt: string;
}

interface UserRow {
	id: string;
	email: string;
	name: string;
	role: AccountRole;
	password_hash: string;
	disabled_at: string | null;
	created_at: string;
}

const toUser = (row: UserRow): User => ({
	id: row.id,
	email: row.email,
	name: row.name,
	role: row.role,
	disabled: row.disabled_at !== null,
	createdAt: row.created_at
});

/** OWASP's argon2id baseline (19 MiB, 2 iterations, 1 lane). */
const argon2Options = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export { emailMaxLength, passwordMaxLength, passwordMinLength };

export class InputError extends Error {
	constructor(
		readonly code: string,
		message: string
	) {
		super(message);
		this.name = 'InputError';
	}
}

/** The revocation sweep's question (`disabledSince`), exported so a test can ask SQLite how it answers it. */
export const disabledSinceSql = 'SELECT id FROM users WHERE disabled_at >= ?';

export class UserRepository {
	readonly #db: Db;
	/** Verified against when the email is unknown, so a miss costs as much time as a hit. */
	#dummyHash: Promise<string> | undefined;
	readonly #disabledSince;

	constructor(db: Db) {
		this.#db = db;
		this.#disabledSince = db.prepare<[string], string>(disabledSinceSql).pluck();
	}

	count(): number {
		return this.#db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users').get()!.n;
	}

	async create(input: { email: string; name: string; role: AccountRole; password: string }): Promise<User> {
		const email = input.email.trim().toLowerCase();
		const name = input.name.trim();
		if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > emailMaxLength) {
			throw new InputError('invalid_email', 'Give a valid email address.');
		}
		if (name.length === 0 || name.length > 100) throw new InputError('invalid_name', 'A name needs 1 to 100 characters.');
		if (input.password.length < passwordMinLength || input.password.length > passwordMaxLength) {
			throw new InputError('weak_password', `A password needs ${passwordMinLength} to ${passwordMaxLength} characters.`);
		}
		if (this.findByEmail(email)) throw new InputError('email_taken', 'An account with this email already exists.');
		const passwordHash = await hash(input.password, argon2Options);
		const user: User = {
			id: randomBytes(15).toString('base64url'),
			email,
			name,
			role: input.role,
			disabled: false,
			createdAt: new Date().toISOString()
		};
		this.#db
			.prepare('INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)')
			.run(user.id, user.email, user.name, user.role, passwordHash, user.createdAt);
		return user;
	}

	/** The account for these credentials, or null; disabled accounts never verify. */
	async verify(email: string, password: string): Promise<User | null> {
		const row = this.#row(email.trim().toLowerCase());
		if (!row) {
			this.#dummyHash ??= hash(randomBytes(16).toString('hex'), argon2Options);
			await verify(await this.#dummyHash, password).catch(() => false);
			return null;
		}
		const ok = await verify(row.password_hash, password).catch(() => false);
		return ok && row.disabled_at === null ? toUser(row) : null;
	}

	get(id: string): User | undefined {
		const row = this.#db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?').get(id);
		return row && toUser(row);
	}

	findByEmail(email: string): User | undefined {
		const row = this.#row(email.trim().toLowerCase());
		return row && toUser(row);
	}

	list(): User[] {
		return this.#db.prepare<[], UserRow>('SELECT * FROM users ORDER BY name COLLATE NOCASE').all().map(toUser);
	}

	/** Disables the account; the caller ends its sessions and live connections. */
	disable(id: string): boolean {
		return (
			this.#db.prepare('UPDATE users SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL').run(new Date().toISOString(), id)
				.changes > 0
		);
	}

	/**
	 * Ids of the accounts disabled at or after `since` (an ISO time): the revocation sweep's question,
	 * twice a second, so prepared once and answered from an index (migration 8).
	 */
	disabledSince(since: string): string[] {
		return this.#disabledSince.all(since);
	}

	#row(email: string): UserRow | undefined {
		return this.#db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?').get(email);
	}
}
