import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { formatClockTime } from '$lib/time/helsinki';

/**
 * Why a form field was refused. Form actions return these codes (never English text), and the page
 * shows them in the reader's language.
 */
export type FieldError =
	| 'required'
	| 'too_long'
	| 'invalid_email'
	| 'invalid_url'
	| 'invalid_datetime'
	| 'invalid_choice'
	| 'password_length'
	| 'password_mismatch'
	| 'email_taken';

export type FieldErrors = Partial<Record<string, FieldError>>;

const texts: Record<FieldError, () => string> = {
	required: m.field_error_required,
	too_long: m.field_error_too_long,
	invalid_email: m.field_error_invalid_email,
	invalid_url: m.field_error_invalid_url,
	invalid_datetime: m.field_error_invalid_datetime,
	invalid_choice: m.field_error_invalid_choice,
	password_length: m.field_error_password_length,
	password_mismatch: m.field_error_password_mismatch,
	email_taken: m.field_error_email_taken
};

/** The localized text of a field error, or undefined when the field is fine. */
export function fieldErrorText(code: FieldError | undefined): string | undefined {
	return code ? texts[code]() : undefined;
}

/** The items of a form's error summary: one link per refused field, in the order of the form. */
export function errorSummary(
	errors: FieldErrors | undefined,
	fields: Array<{ name: string; label: string; id?: string }>
): Array<{ href: string; text: string }> {
	if (!errors) return [];
	return fields.flatMap(({ name, label, id }) => {
		const text = fieldErrorText(errors[name]);
		return text ? [{ href: `#${id ?? `field-${name}`}`, text: `${label}: ${text}` }] : [];
	});
}

/** "Too many attempts, try again after 14.05 (in about 12 minutes)", in the reader's language and Helsinki time. */
export function rateLimitedText(retry: { retryAt: string; minutes: number }): string {
	return m.rate_limited({ time: formatClockTime(new Date(retry.retryAt), getLocale()), minutes: String(retry.minutes) });
}
