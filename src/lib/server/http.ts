import { error, fail, json, type ActionFailure } from '@sveltejs/kit';
import * as v from 'valibot';
import type { ApiError } from '$lib/protocol/participants';
import { DomainError, isDomainError } from '$lib/domain-error';

export { isDomainError };

/** Turns a DomainError into the JSON API's error shape (docs/api.md); rethrows anything else. */
export function apiError(cause: unknown): Response {
	if (isDomainError(cause)) {
		const body: ApiError = {
			error: {
				code: cause.code,
				message: cause.message,
				...(cause.detail.issues ? { issues: cause.detail.issues } : {}),
				...(cause.detail.reason ? { reason: cause.detail.reason } : {})
			},
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

/**
 * The largest JSON body the API reads (docs/api.md). Its largest body, a catalogue entry, is a few
 * KiB; the adapter's own limit (512 KiB) does not hold in development, and a body is kept whole
 * while it is parsed (issue 20: input is bounded at every boundary before it is kept anywhere).
 */
export const maxJsonBodyBytes = 64 * 1024;

const tooLarge = () => new DomainError('too_large', `The request body is larger than ${maxJsonBodyBytes / 1024} KiB.`);

/** The body as text, refused (413) as soon as it passes `maxJsonBodyBytes`, declared or not. */
async function readBoundedText(request: Request): Promise<string> {
	if (Number(request.headers.get('content-length') ?? 0) > maxJsonBodyBytes) throw tooLarge();
	if (!request.body) return '';
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let bytes = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		bytes += value.byteLength;
		if (bytes > maxJsonBodyBytes) {
			await reader.cancel();
			throw tooLarge();
		}
		chunks.push(value);
	}
	return Buffer.concat(chunks).toString('utf8');
}

/** Reads and validates a JSON body; a DomainError('invalid') says which fields are wrong. */
export async function readJson<S extends v.GenericSchema>(request: Request, schema: S): Promise<v.InferOutput<S>> {
	const text = await readBoundedText(request);
	let body: unknown;
	try {
		body = JSON.parse(text);
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
	if (isDomainError(cause)) error(cause.status, { message: cause.message });
	throw cause;
}

/** For form actions: a DomainError becomes `fail(status, { code, message, values })`. */
export function actionFailure<T extends Record<string, unknown>>(
	cause: unknown,
	values: T
): ActionFailure<{ code: string; message: string; reason?: string; retryAfterSeconds?: number; values: T }> {
	if (isDomainError(cause)) {
		return fail(cause.status, {
			code: cause.code,
			message: cause.message,
			...(cause.detail.reason ? { reason: cause.detail.reason } : {}),
			...(cause.detail.retryAfterSeconds ? { retryAfterSeconds: cause.detail.retryAfterSeconds } : {}),
			values
		});
	}
	throw cause;
}
