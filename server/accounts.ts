import type { AccountRole } from '../src/lib/protocol/participants.js';
import type { AuditLog } from './audit.js';
import type { Auth } from './auth.js';
import type { LiveConnections } from './connections.js';
import { DomainError, refusal } from './errors.js';
import type { Principal } from './policy.js';
import { RateLimiter } from './rate-limit.js';
import { emailMaxLength, InputError, passwordMaxLength, type User, type UserRepository } from './users.js';
import { CloseCode } from '../src/lib/protocol/close-codes.js';

/** Sign-in attempts: per account and per address, within 15 minutes. */
const signInWindowMs = 15 * 60 * 1000;

/**
 * Accounts and their sessions: the first-run setup, signing in and out, and coordinators managing
 * accounts. Every outcome is audited.
 */
export class Accounts {
	readonly #users: UserRepository;
	readonly #auth: Auth;
	readonly #audit: AuditLog;
	readonly #connections: LiveConnections;
	readonly #perAccount = new RateLimiter({ limit: 5, windowMs: signInWindowMs });
	readonly #perAddress: RateLimiter;

	constructor(deps: {
		users: UserRepository;
		auth: Auth;
		audit: AuditLog;
		connections: LiveConnections;
		/** Sign-in attempts per address in 15 minutes (default 20); many staff may share one address. */
		signInLimitPerAddress?: number;
	}) {
		this.#perAddress = new RateLimiter({ limit: deps.signInLimitPerAddress ?? 20, windowMs: signInWindowMs });
		this.#users = deps.users;
		this.#auth = deps.auth;
		this.#audit = deps.audit;
		this.#connections = deps.connections;
	}

	/** True while no account exists: every page then leads to /setup. */
	setupRequired(): boolean {
		return this.#users.count() === 0;
	}

	/** Creates the first coordinator and signs them in. Refused once any account exists. */
	async setup(input: { email: string; name: string; password: string }): Promise<{ user: User; sessionId: string }> {
		if (!this.setupRequired()) throw new DomainError('conflict', 'Verkosto is already set up. Sign in instead.');
		const user = await this.#create({ ...input, role: 'coordinator' });
		const session = await this.#auth.createSession(user.id, {});
		this.#audit.record('setup', { detail: { userId: user.id } });
		return { user, sessionId: session.id };
	}

	/** What the sign-in limiters hold (tests assert that refused input does not grow them). */
	get limiterStats(): { perAccount: RateLimiter['stats']; perAddress: RateLimiter['stats'] } {
		return { perAccount: this.#perAccount.stats, perAddress: this.#perAddress.stats };
	}

	async signIn(email: string, password: string, address: string): Promise<{ user: User; sessionId: string }> {
		// Refused before anything keeps it: a limiter key of a 450 KiB e-mail was kept even when the
		// attempt was refused, and a long password costs argon2 time (issue 20).
		if (email.length > emailMaxLength || password.length > passwordMaxLength) {
			throw new DomainError('invalid', `An email address has at most ${emailMaxLength} characters, a password at most ${passwordMaxLength}.`, {
				issues: [{ path: email.length > emailMaxLength ? 'email' : 'password', message: 'too_long' }]
			});
		}
		const accountKey = email.trim().toLowerCase();
		for (const verdict of [this.#perAccount.hit(accountKey), this.#perAddress.hit(address)]) {
			if (!verdict.allowed) {
				throw new DomainError(
					'rate_limited',
					`Too many sign-in attempts. Try again in ${Math.ceil(verdict.retryAfterSeconds / 60)} minutes.`,
					{ retryAfterSeconds: verdict.retryAfterSeconds }
				);
			}
		}
		const user = await this.#users.verify(email, password);
		if (!user) {
			this.#audit.record('sign_in_failed', { detail: { emailKnown: this.#users.findByEmail(accountKey) !== undefined } });
			throw new DomainError('invalid', 'The email or password is wrong, or the account is disabled.');
		}
		this.#perAccount.reset(accountKey);
		const session = await this.#auth.createSession(user.id, {});
		this.#audit.record('sign_in', {
			actor: { kind: 'account', userId: user.id, sessionId: session.id, name: user.name, email: user.email, role: user.role }
		});
		return { user, sessionId: session.id };
	}

	async signOut(principal: Principal): Promise<void> {
		if (principal.kind === 'anonymous') return;
		await this.#auth.invalidateSession(principal.sessionId);
		// Its live Yjs and socket.io connections end too (issue 20, item 5); the account's other sessions stay.
		this.#connections.closeSession(principal.sessionId, CloseCode.SessionEnded, 'signed out');
		this.#audit.record('sign_out', {
			actor: principal,
			meetingId: principal.kind === 'guest' ? principal.meetingId : null
		});
	}

	list(principal: Principal): User[] {
		this.#requireCoordinator(principal);
		return this.#users.list();
	}

	async add(principal: Principal, input: { email: string; name: string; password: string; role: AccountRole }): Promise<User> {
		this.#requireCoordinator(principal);
		const user = await this.#create(input);
		this.#audit.record('user_created', { actor: principal, detail: { userId: user.id, role: user.role } });
		return user;
	}

	/**
	 * Disables an account: its sessions end and its live connections close at once. Never the caller's
	 * own, nor the last active coordinator's (issue #20 item 8): either would leave nobody able to manage
	 * accounts, or enable one again, without the admin command line. `principal` null: the admin CLI.
	 */
	async disable(principal: Principal | null, userId: string): Promise<void> {
		if (principal) this.#requireCoordinator(principal);
		if (principal?.kind === 'account' && principal.userId === userId) {
			throw new DomainError('unprocessable', 'You cannot disable your own account.', { reason: 'own_account' });
		}
		if (!this.#users.get(userId)) throw refusal.notFound('Account');
		if (this.#users.disableUnlessLastCoordinator(userId) === 'last_coordinator') {
			throw new DomainError(
				'unprocessable',
				'This is the last active coordinator account: add or enable another coordinator first.',
				{ reason: 'last_coordinator' }
			);
		}
		await this.#auth.invalidateUserSessions(userId);
		this.#connections.closeUser(userId, CloseCode.Forbidden, 'account disabled');
		this.#audit.record('user_disabled', { actor: principal, detail: { userId } });
	}

	/**
	 * Enables a disabled account again: it can sign in with its password; the sessions that ended when
	 * it was disabled stay ended. Enabling an active account changes nothing and records nothing.
	 */
	enable(principal: Principal | null, userId: string): void {
		if (principal) this.#requireCoordinator(principal);
		if (!this.#users.get(userId)) throw refusal.notFound('Account');
		if (this.#users.enable(userId)) this.#audit.record('user_enabled', { actor: principal, detail: { userId } });
	}

	async #create(input: { email: string; name: string; password: string; role: AccountRole }): Promise<User> {
		try {
			return await this.#users.create(input);
		} catch (error) {
			if (error instanceof InputError) {
				throw new DomainError(error.code === 'email_taken' ? 'conflict' : 'invalid', error.message, {
					issues: [{ path: error.code === 'weak_password' ? 'password' : error.code === 'invalid_name' ? 'name' : 'email', message: error.message }]
				});
			}
			throw error;
		}
	}

	#requireCoordinator(principal: Principal): void {
		if (principal.kind === 'anonymous') throw refusal.unauthenticated();
		if (principal.kind !== 'account' || principal.role !== 'coordinator') throw refusal.forbidden();
	}
}
