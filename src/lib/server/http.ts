import { error, fail, json, type ActionFailure } from '@sveltejs/kit';
import * as v from 'valibot';
import type { ApiError } from '$lib/protocol/participants';
import { DomainError } from '../../../server/errors.js';

/** Turns a DomainError into the JSON API's error shape (docs/api.md); rethrows anything else. */
export function apiError(cause: unknown): Response {
	if (cause instanceof DomainError) {
		const body: ApiError = {
			error: { code: cause.code, message: cause.message, ...(cause.detail.issues ? { issues: cause.detail.issues } : {}) },
			// What closing still needs (POST …/close answers 409 with it).
			...(cause.detail.missing ? { missing: cause.detail.missing } : {}),
			...(cause.detail.incompleteActions ? { incompleteActions: cause.detail.incompleteActions } : {})
		};
		const headers: Record<string, string> = {};
		if (cause.detail.retryAfterSeconds) headers['retry-after'] = String(cause.detail.retryAfterSeconds);
		return json(body, { status: cause.status, headers });
	}
	throw cause;
}

/** Reads and validates a JSON body; a DomainError('invalid') says which fields are wrong. */
export async function readJson<S extends v.GenericSchema>(request: Request, schema: S): Promise<v.InferOutput<S>> {
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		throw new DomainError('invalid', 'The request body must be JSON.');
	}
	const parsed = v.safeParse(schema, body);
	if (!parsed.success) {
		throw new DomainError('invalid', 'Some fields are missing or invalid.', {
			issues: parsed.issues.map((issue) => ({ path: v.getDotPath(issue) ?? '', message: issue.message }))
		});
	}
	return parsed.output;
}

/** For pages: a DomainError becomes SvelteKit's error page with the right status. */
export function pageError(cause: unknown): never {
	if (cause instanceof DomainError) error(cause.status, { message: cause.message });
	throw cause;
}

/** For form actions: a DomainError becomes `fail(status, { code, message, values })`. */
export function actionFailure<T extends Record<string, unknown>>(
	cause: unknown,
	values: T
): ActionFailure<{ code: string; message: string; retryAfterSeconds?: number; values: T }> {
	if (cause instanceof DomainError) {
		return fail(cause.status, {
			code: cause.code,
			message: cause.message,
			...(cause.detail.retryAfterSeconds ? { retryAfterSeconds: cause.detail.retryAfterSeconds } : {}),
			values
		});
	}
	throw cause;
}
