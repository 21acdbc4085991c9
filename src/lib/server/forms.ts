import * as v from 'valibot';
import type { FieldError, FieldErrors } from '$lib/forms/errors';
import type { DomainError } from '$lib/domain-error';

/** A text field of a submitted form; '' when it is missing (or, oddly, a file). */
export function field(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}

const fieldErrors: ReadonlySet<string> = new Set<FieldError>([
	'required',
	'too_long',
	'invalid_email',
	'invalid_url',
	'invalid_datetime',
	'invalid_choice',
	'password_length',
	'password_mismatch',
	'email_taken'
]);

/**
 * Validates form input with a protocol schema (the same one the JSON API uses, where there is one)
 * and names each refused field with a FieldError code, the first refusal of a field winning. A
 * schema written for a form says the code itself, as the issue's message (`v.regex(…, 'invalid_email')`);
 * otherwise a missing value or a too short one is `required`, a too long one `too_long`, and
 * `otherwise` says what a field's other failures mean (a malformed URL); without it they count as
 * an invalid choice. Schemas the JSON API shares keep valibot's own messages: they are on its wire.
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
		errors[path] ??= fieldErrors.has(issue.message)
			? (issue.message as FieldError)
			: issue.input === undefined || issue.type === 'min_length'
				? 'required'
				: issue.type === 'max_length'
					? 'too_long'
					: (otherwise[path] ?? 'invalid_choice');
	}
	return { ok: false, errors };
}

/** The object schema under a schema's pipe (a form's cross-field checks sit in a pipe around it). */
function entriesOf(schema: v.GenericSchema): Record<string, v.GenericSchema> {
	if ('entries' in schema) return schema.entries as Record<string, v.GenericSchema>;
	if ('pipe' in schema) return entriesOf((schema.pipe as v.GenericSchema[])[0]!);
	throw new TypeError(`A form schema is an object schema, not ${schema.type}.`);
}

/** An array field (checkboxes of one name), through `optional` and pipes around it. */
function isArrayField(schema: v.GenericSchema): boolean {
	if (schema.type === 'array') return true;
	if ('wrapped' in schema) return isArrayField(schema.wrapped as v.GenericSchema);
	if ('pipe' in schema) return isArrayField((schema.pipe as v.GenericSchema[])[0]!);
	return false;
}

/**
 * The posted form as the object its schema reads: each of the schema's fields as text (a list for
 * an array field, such as checkboxes), and nothing else of the form. A field that was not posted is
 * `undefined`, so an optional field gets its default; a file where text belongs is ''.
 */
export function formInput(schema: v.GenericSchema, form: FormData): Record<string, string | string[] | undefined> {
	return Object.fromEntries(
		Object.entries(entriesOf(schema)).map(([name, entry]) => [
			name,
			isArrayField(entry)
				? form.getAll(name).map((value) => (typeof value === 'string' ? value : ''))
				: form.has(name)
					? field(form, name)
					: undefined
		])
	);
}

/**
 * Parses a posted form with its protocol schema: the one way form actions read their input. On a
 * refusal, `errors` is what the page shows (errorSummary, fieldErrorText) and `input` the text as
 * posted, for the action to echo back what it may (never a password).
 */
export function parseForm<S extends v.GenericSchema>(
	schema: S,
	form: FormData,
	otherwise: Partial<Record<string, FieldError>> = {}
): ({ ok: true; output: v.InferOutput<S> } | { ok: false; errors: FieldErrors }) & { input: Record<string, string | string[] | undefined> } {
	const input = formInput(schema, form);
	return { ...validate(schema, input, otherwise), input };
}

/** When a rate-limited person may try again, for the localized "try again after …" message. */
export function retryAfter(cause: DomainError): { retryAt: string; minutes: number } {
	const seconds = cause.detail.retryAfterSeconds ?? 60;
	return { retryAt: new Date(Date.now() + seconds * 1000).toISOString(), minutes: Math.max(1, Math.ceil(seconds / 60)) };
}
