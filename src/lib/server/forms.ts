import * as v from 'valibot';
import type { FieldError, FieldErrors } from '$lib/forms/errors';
import type { DomainError } from '$lib/domain-error';

/** A text field of a submitted form; '' when it is missing (or, oddly, a file). */
export function field(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}

/**
 * Validates form input with a protocol schema (the same one the JSON API uses) and names each
 * refused field with a FieldError code. `otherwise` says what a field's other failures mean (a
 * malformed URL, a value outside a list); without it they count as an invalid choice.
 */
export function validate<S extends v.GenericSchema>(
	schema: S,
	input: unknown,
	otherwise: Partial<Record<string, FieldError>> = {}
): { ok: true; output: v.InferOutput<S> } | { ok: false; errors: FieldErrors } {
	const parsed = v.safeParse(schema, input);
	if (parsed.success) return { ok: true, output: parsed.output };
	const errors: FieldErrors = {};
	for (const issue of parsed.issues) {
		const path = v.getDotPath(issue) ?? '';
		errors[path] ??=
			issue.type === 'min_length' ? 'required' : issue.type === 'max_length' ? 'too_long' : (otherwise[path] ?? 'invalid_choice');
	}
	return { ok: false, errors };
}

/** When a rate-limited person may try again, for the localized "try again after …" message. */
export function retryAfter(cause: DomainError): { retryAt: string; minutes: number } {
	const seconds = cause.detail.retryAfterSeconds ?? 60;
	return { retryAt: new Date(Date.now() + seconds * 1000).toISOString(), minutes: Math.max(1, Math.ceil(seconds / 60)) };
}
