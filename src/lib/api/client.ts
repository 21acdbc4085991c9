import type { PhaseChange, ResponsibleChange, ResponsibleDecision, WorkAbilityChange } from '$lib/protocol/agenda';
import type { CatalogueEntry } from '$lib/protocol/catalogue';
import type {
	CloseChecklist,
	ClosedVersion,
	CloseRequest,
	EvaluationInput,
	EvaluationView,
	FollowUpRequest,
	FollowUpStarted
} from '$lib/protocol/closing';
import type { ApiError, ConsentChange, ConsentScope } from '$lib/protocol/participants';
import type { PathHistory } from '$lib/protocol/retention';
import type * as v from 'valibot';

/**
 * The browser's one way to the JSON API (docs/api.md). Each endpoint is a typed method whose body
 * is the protocol schema's input type, so a page cannot send what the server would refuse by
 * shape; the wire format (JSON in and out, `accept: application/json`) is the API's own. Every
 * failure — no network, no answer in time, any error status — is thrown as one `ApiFailure`, which
 * `apiFailureText` ($lib/api/failures) turns into one localized message.
 */

/** How long a request may take before it counts as unanswered (the server answers in milliseconds). */
export const defaultTimeoutMs = 15_000;

export type ApiFailureKind = 'offline' | 'timeout' | 'http';

/** Why a call to the JSON API failed, with what the server said, if it answered. */
export class ApiFailure extends Error {
	readonly kind: ApiFailureKind;
	/** The HTTP status, or null when no answer came. */
	readonly status: number | null;
	/** The API's error body, when the answer had one (a proxy's 502 page has not). */
	readonly body: ApiError | null;
	/** From `Retry-After` (seconds), on a 429 or 503. */
	readonly retryAfterSeconds: number | null;

	constructor(
		kind: ApiFailureKind,
		message: string,
		details: { status?: number; body?: ApiError | null; retryAfterSeconds?: number | null; cause?: unknown } = {}
	) {
		super(message, { cause: details.cause });
		this.name = 'ApiFailure';
		this.kind = kind;
		this.status = details.status ?? null;
		this.body = details.body ?? null;
		this.retryAfterSeconds = details.retryAfterSeconds ?? null;
	}

	/** The API's error code (`forbidden`, `conflict`, …), when it sent one. */
	get code(): string | null {
		return this.body?.error.code ?? null;
	}

	/** A 409 the meeting's state caused (`meeting_closed`), when it is one. */
	get reason(): string | null {
		return this.body?.error.reason ?? null;
	}

	/** The refused fields of a 400 or 422 (`path`, `message`), empty otherwise. */
	get issues(): Array<{ path: string; message: string }> {
		return this.body?.error.issues ?? [];
	}
}

export interface ApiClientOptions {
	/** Where the API is; the page's own origin when empty (the browser). */
	baseUrl?: string;
	fetch?: typeof fetch;
	timeoutMs?: number;
	/** Sent with every request (a test's session cookie; the browser sends its own). */
	headers?: Record<string, string>;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** An error body in the API's shape, or null (a proxy's page, an empty body). */
function errorBody(value: unknown): ApiError | null {
	if (typeof value !== 'object' || value === null || !('error' in value)) return null;
	const error = (value as { error: unknown }).error;
	if (typeof error !== 'object' || error === null) return null;
	const { code, message } = error as { code?: unknown; message?: unknown };
	return typeof code === 'string' && typeof message === 'string' ? (value as ApiError) : null;
}

/** `Retry-After` as seconds: a number of seconds, or an HTTP date (RFC 9110 §10.2.3). */
function retryAfter(header: string | null): number | null {
	if (!header) return null;
	const seconds = Number(header);
	if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
	const at = Date.parse(header);
	return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

const meetingPath = (meetingId: string, rest: string) => `/api/meetings/${encodeURIComponent(meetingId)}/${rest}`;

export class ApiClient {
	readonly #baseUrl: string;
	readonly #fetch: typeof fetch;
	readonly #timeoutMs: number;
	readonly #headers: Record<string, string>;

	constructor(options: ApiClientOptions = {}) {
		this.#baseUrl = options.baseUrl ?? '';
		// Bound late: the browser's fetch must be called as a function of `window`.
		this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
		this.#timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
		this.#headers = options.headers ?? {};
	}

	/**
	 * One request. An abort by the caller's `signal` is rethrown as it is (the caller went away and
	 * wants no message); everything else that goes wrong is an ApiFailure.
	 */
	async request<T>(method: Method, path: string, options: { body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
		const timeout = AbortSignal.timeout(this.#timeoutMs);
		const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
		const headers: Record<string, string> = { accept: 'application/json', ...this.#headers };
		if (options.body !== undefined) headers['content-type'] = 'application/json';
		const what = `${method} ${path}`;
		let response: Response;
		try {
			response = await this.#fetch(`${this.#baseUrl}${path}`, {
				method,
				headers,
				body: options.body === undefined ? undefined : JSON.stringify(options.body),
				signal
			});
		} catch (cause) {
			if (options.signal?.aborted) throw cause;
			if (timeout.aborted) throw new ApiFailure('timeout', `${what}: no answer within ${this.#timeoutMs} ms`, { cause });
			throw new ApiFailure('offline', `${what}: the server could not be reached`, { cause });
		}
		let text: string;
		try {
			text = await response.text();
		} catch (cause) {
			if (options.signal?.aborted) throw cause;
			const kind = timeout.aborted ? 'timeout' : 'offline';
			throw new ApiFailure(kind, `${what}: the answer (${response.status}) was cut off`, { status: response.status, cause });
		}
		let parsed: unknown = null;
		try {
			parsed = text ? JSON.parse(text) : null;
		} catch {
			// Not JSON: a proxy's error page, say. The status still says what happened.
		}
		if (!response.ok) {
			const body = errorBody(parsed);
			throw new ApiFailure('http', `${what} answered ${response.status}${body ? ` ${body.error.code}: ${body.error.message}` : ''}`, {
				status: response.status,
				body,
				retryAfterSeconds: retryAfter(response.headers.get('retry-after'))
			});
		}
		if (parsed === null && text) {
			throw new ApiFailure('http', `${what} answered ${response.status} with a body that is not JSON`, { status: response.status });
		}
		return parsed as T;
	}

	/** `GET /api/catalogue`: the regional service catalogue. */
	catalogue(signal?: AbortSignal) {
		return this.request<{ services: CatalogueEntry[] }>('GET', '/api/catalogue', { signal });
	}

	/** `PUT /api/meetings/:id/phase`: the coordinator moves the agenda. */
	setPhase(meetingId: string, body: PhaseChange) {
		return this.request<{ phase: string }>('PUT', meetingPath(meetingId, 'phase'), { body });
	}

	/** `PUT /api/meetings/:id/responsible`: the responsible worker and the follow-up. */
	nameResponsible(meetingId: string, body: ResponsibleChange) {
		return this.request<ResponsibleDecision>('PUT', meetingPath(meetingId, 'responsible'), { body });
	}

	/** `PUT /api/meetings/:id/work-ability`: the client's own rating 0–10. */
	recordWorkAbility(meetingId: string, body: WorkAbilityChange) {
		return this.request<{ score: number }>('PUT', meetingPath(meetingId, 'work-ability'), { body });
	}

	/** `PUT /api/meetings/:id/consent`: the whole new scope; `[]` is "not shared". */
	recordConsent(meetingId: string, body: v.InferInput<typeof ConsentChange>) {
		return this.request<ConsentScope>('PUT', meetingPath(meetingId, 'consent'), { body });
	}

	/** `GET /api/meetings/:id/close`: what closing still needs. */
	closeChecklist(meetingId: string, signal?: AbortSignal) {
		return this.request<CloseChecklist>('GET', meetingPath(meetingId, 'close'), { signal });
	}

	/** `POST /api/meetings/:id/close`: a 409 carries `missing` or `incompleteActions` in the failure's body. */
	close(meetingId: string, body: v.InferInput<typeof CloseRequest>) {
		return this.request<ClosedVersion>('POST', meetingPath(meetingId, 'close'), { body });
	}

	/** `GET /api/meetings/:id/evaluation`: the closing meeting's evaluation. */
	evaluation(meetingId: string, signal?: AbortSignal) {
		return this.request<EvaluationView>('GET', meetingPath(meetingId, 'evaluation'), { signal });
	}

	/** `POST /api/meetings/:id/evaluation`: a goal's rating, or "Was I heard?"; answers the evaluation. */
	evaluate(meetingId: string, body: EvaluationInput) {
		return this.request<EvaluationView>('POST', meetingPath(meetingId, 'evaluation'), { body });
	}

	/** `POST /api/meetings/:id/follow-up`: the next meeting of the service path. */
	startFollowUp(meetingId: string, body: FollowUpRequest) {
		return this.request<FollowUpStarted>('POST', meetingPath(meetingId, 'follow-up'), { body });
	}

	/** `GET /api/meetings/:id/history`: the service path's meetings and when its content is deleted. */
	history(meetingId: string, signal?: AbortSignal) {
		return this.request<PathHistory>('GET', meetingPath(meetingId, 'history'), { signal });
	}
}

/**
 * The page's client: the browser sends the session cookie itself. It keeps no state of anyone's, so
 * one instance may serve every component (it is only called from the browser).
 */
export const api = new ApiClient();
