import { rateLimitedText } from '$lib/forms/errors';
import { m } from '$lib/paraglide/messages';
import { ApiFailure } from './client';

/**
 * The one error funnel of the JSON API in the browser: any failure of a call becomes one message in
 * the reader's language, whatever the component. The server's `message` is English and meant for
 * logs and integrations (docs/api.md); the page goes by the status, code and reason. `context` names
 * what was being done ("Recording the consent of meeting …"); the failure is logged with it, so no
 * failure passes silently.
 */
export function apiFailureText(error: unknown, context?: string): string {
	if (context) console.error(`${context} failed`, error);
	if (!(error instanceof ApiFailure)) return m.api_error_unexpected();
	if (error.kind === 'offline') return m.api_error_offline();
	if (error.kind === 'timeout') return m.api_error_timeout();
	const status = error.status ?? 0;
	switch (status) {
		case 400:
		case 422:
			return m.api_error_invalid();
		case 401:
			return m.api_error_unauthenticated();
		case 403:
			return m.api_error_forbidden();
		case 404:
			return m.api_error_not_found();
		case 409:
			// The conflict a decision meets once the meeting has closed (server/policy.ts).
			return error.reason === 'meeting_closed' ? m.meeting_closed_refusal() : m.api_error_conflict();
		case 413:
			return m.api_error_too_large();
		case 429: {
			const seconds = error.retryAfterSeconds;
			return seconds
				? rateLimitedText({ retryAt: new Date(Date.now() + seconds * 1000).toISOString(), minutes: Math.max(1, Math.ceil(seconds / 60)) })
				: m.api_error_rate_limited();
		}
	}
	return status >= 500 ? m.api_error_server({ status: String(status) }) : m.api_error_unexpected();
}

/** True when a failure is the caller's own abort (a component went away): nothing to say. */
export const isAbort = (error: unknown): boolean => error instanceof DOMException && error.name === 'AbortError';
