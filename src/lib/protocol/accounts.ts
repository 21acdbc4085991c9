import * as v from 'valibot';
import { accountRoles } from './participants.js';

/**
 * The forms of accounts (sign in, the first run's setup, a coordinator adding an account): their
 * schemas, shared by the pages that show the limits and the actions that parse the posted form. A
 * refusal's message is the field error code the page shows (`FieldError` in $lib/forms/errors).
 */

export const passwordMinLength = 12;
export const passwordMaxLength = 256;
/** RFC 5321's longest deliverable address (a path of 256 octets less its angle brackets). */
export const emailMaxLength = 254;
export const accountNameMaxLength = 100;
/** Something@somewhere.tld: enough to catch a typo; the address is never mailed by the server. */
export const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const email = v.pipe(
	v.string(),
	v.trim(),
	v.minLength(1),
	v.regex(emailPattern, 'invalid_email'),
	v.maxLength(emailMaxLength, 'invalid_email')
);
const name = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(accountNameMaxLength));
const newPassword = v.pipe(
	v.string(),
	v.minLength(passwordMinLength, 'password_length'),
	v.maxLength(passwordMaxLength, 'password_length')
);

/** The sign-in form (`/login`). Wrong credentials are the server's answer, not a field's. */
export const SignIn = v.object({
	email: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(emailMaxLength)),
	password: v.pipe(v.string(), v.minLength(1), v.maxLength(passwordMaxLength))
});

/** The first run's form (`/setup`): the first coordinator, with the password typed twice. */
export const FirstCoordinator = v.pipe(
	v.object({ email, name, password: newPassword, password_confirm: v.string() }),
	v.forward(
		v.partialCheck([['password'], ['password_confirm']], (input) => input.password === input.password_confirm, 'password_mismatch'),
		['password_confirm']
	)
);

/** A coordinator adds an account (`/accounts`, action `add`) with its initial password. */
export const NewAccount = v.object({
	email,
	name,
	role: v.picklist(accountRoles, 'invalid_choice'),
	password: newPassword
});
