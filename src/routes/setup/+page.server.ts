import { fail, redirect } from '@sveltejs/kit';
import type { FieldErrors } from '$lib/forms/errors';
import { field } from '$lib/server/forms';
import { startSession } from '$lib/server/session';
import { isDomainError } from '$lib/server/http';
import { passwordMaxLength, passwordMinLength } from '$lib/protocol/account-limits';
import type { Actions, PageServerLoad } from './$types';

/** First run (issue #3): only while no account exists, and only the first coordinator. */
export const load: PageServerLoad = ({ locals }) => {
	if (!locals.app.accounts.setupRequired()) redirect(303, '/login');
	return { passwordMinLength };
};

export const actions: Actions = {
	default: async ({ request, locals, cookies, url }) => {
		if (!locals.app.accounts.setupRequired()) redirect(303, '/login');
		const form = await request.formData();
		const values = { email: field(form, 'email').trim(), name: field(form, 'name').trim() };
		const password = field(form, 'password');
		const errors: FieldErrors = {};
		if (!values.email) errors.email = 'required';
		else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) errors.email = 'invalid_email';
		if (!values.name) errors.name = 'required';
		else if (values.name.length > 100) errors.name = 'too_long';
		if (password.length < passwordMinLength || password.length > passwordMaxLength) errors.password = 'password_length';
		else if (password !== field(form, 'password_confirm')) errors.password_confirm = 'password_mismatch';
		if (Object.keys(errors).length > 0) return fail(400, { values, errors });
		try {
			const { sessionId } = await locals.app.accounts.setup({ ...values, password });
			await startSession(locals.app.auth, cookies, url, sessionId);
		} catch (cause) {
			// Someone else finished the setup a moment earlier.
			if (isDomainError(cause) && cause.code === 'conflict') redirect(303, '/login');
			if (isDomainError(cause) && cause.code === 'invalid') {
				const path = cause.detail.issues?.[0]?.path;
				const errors: FieldErrors =
					path === 'password' ? { password: 'password_length' } : path === 'name' ? { name: 'required' } : { email: 'invalid_email' };
				return fail(400, { values, errors });
			}
			throw cause;
		}
		redirect(303, '/');
	}
};
