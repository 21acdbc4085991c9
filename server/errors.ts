const domainErrorBrand = Symbol.for('verkosto.DomainError');

/**
 * A refusal the caller can act on: a stable code (for clients and tests), the HTTP status it maps
 * to, and a message that says what to do. The message is English; pages show localized text by code.
 */
export class DomainError extends Error {
	/**
	 * SvelteKit's server code and the composition root are bundled separately (see
	 * src/lib/server/app.ts), so each bundle has its own copy of this class, and a plain `instanceof`
	 * would miss an error thrown by the other copy. A brand in the global symbol registry makes
	 * `instanceof DomainError` true for errors from either copy.
	 */
	static override [Symbol.hasInstance](value: unknown): value is DomainError {
		return typeof value === 'object' && value !== null && (value as { [domainErrorBrand]?: unknown })[domainErrorBrand] === true;
	}

	readonly [domainErrorBrand] = true;

	constructor(
		readonly code: DomainErrorCode,
		message: string,
		readonly detail: {
			retryAfterSeconds?: number;
			issues?: Array<{ path: string; message: string }>;
			missing?: string[];
			/**
			 * Why a 409: the meeting's state refused it (docs/abilities.md); why a 422 on disabling an
			 * account: it is the caller's own, or the last active coordinator's (docs/admin.md).
			 */
			reason?: 'meeting_closed' | 'meeting_not_closed' | 'own_account' | 'last_coordinator';
			/** POST …/close: actions without an owner or a due date, to confirm before closing. */
			incompleteActions?: Array<{ id: string; number: number; text: string; missing: string[] }>;
		} = {}
	) {
		super(message);
		this.name = 'DomainError';
	}

	get status(): number {
		return statusOf[this.code];
	}
}

const statusOf = {
	invalid: 400,
	unauthenticated: 401,
	forbidden: 403,
	not_found: 404,
	conflict: 409,
	/** A request body larger than its limit (docs/api.md). */
	too_large: 413,
	unprocessable: 422,
	rate_limited: 429
} as const;

export type DomainErrorCode = keyof typeof statusOf;

export const refusal = {
	unauthenticated: () => new DomainError('unauthenticated', 'Sign in first.'),
	forbidden: () => new DomainError('forbidden', 'You do not have access to this. Ask the meeting coordinator.'),
	notFound: (what = 'Meeting') => new DomainError('not_found', `${what} not found. Check the link.`)
};
