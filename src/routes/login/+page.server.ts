import { fail, redirect } from '@sveltejs/kit';
import type { FieldErrors } from '$lib/forms/errors';
import { field, retryAfter } from '$lib/server/forms';
import { safeNext } from '$lib/server/navigation';
import { startSession } from '$lib/server/session';
import { isDomainError } from '$lib/server/http';
import { emailMaxLength, passwordMaxLength } from '$lib/protocol/account-limits';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.principal.kind === 'account') redirect(303, safeNext(url.searchParams.get('next')));
	return {};
};

export const actions: Actions = {
	// The form posts to its own URL, so `?next=` comes along without a hidden field.
	default: async ({ request, locals, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const email = field(form, 'email').trim();
		const password = field(form, 'password');
		// Never the password, nor an e-mail longer than any address: it is echoed into the page.
		const values = { email: email.slice(0, emailMaxLength) };
		const errors: FieldErrors = {};
		if (!email) errors.email = 'required';
		else if (email.length > emailMaxLength) errors.email = 'too_long';
		if (!password) errors.password = 'required';
		else if (password.length > passwordMaxLength) errors.password = 'too_long';
		if (errors.email || errors.password) return fail(400, { values, errors });
		try {
			const { sessionId } = await locals.app.accounts.signIn(email, password, getClientAddress());
			await startSession(locals.app.auth, cookies, url, sessionId);
		} catch (cause) {
			if (isDomainError(cause) && cause.code === 'rate_limited') {
				return fail(429, { values, problem: 'rate_limited' as const, retry: retryAfter(cause) });
			}
			if (isDomainError(cause) && cause.code === 'invalid') {
				return fail(400, { values, problem: 'wrong_credentials' as const });
			}
			throw cause;
		}
		redirect(303, safeNext(url.searchParams.get('next')));
	}
};
