/**
 * A refusal the caller can act on: a stable code (for clients and tests), the HTTP status it maps
 * to, and a message that says what to do. The message is English; pages show localized text by code.
 *
 * Shared code like the protocol schemas: the server's modules throw it, and SvelteKit's routes
 * (`$lib/server/http`) throw it for a body they refuse. The two are bundled separately (build/server.js
 * and SvelteKit's build/server/), so each has its own copy of this class: code on the route side tells
 * a refusal by its plain data (`isDomainError`), never by `instanceof`.
 */
export class DomainError extends Error {
	override readonly name = 'DomainError';
	/** The HTTP status of `code`: own data, so a refusal reads the same in either bundle. */
	readonly status: number;

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
		this.status = statusOf[code];
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

/** Whether `cause` is a DomainError from either bundle: by its name, code and status, not its class. */
export function isDomainError(cause: unknown): cause is DomainError {
	if (!(cause instanceof Error) || cause.name !== 'DomainError') return false;
	const { code, status, detail } = cause as Partial<DomainError>;
	return typeof code === 'string' && Object.hasOwn(statusOf, code) && status === statusOf[code] && typeof detail === 'object' && detail !== null;
}
