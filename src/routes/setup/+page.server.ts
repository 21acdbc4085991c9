import { fail, redirect } from '@sveltejs/kit';
import type { FieldErrors } from '$lib/forms/errors';
import { FirstCoordinator, passwordMinLength } from '$lib/protocol/accounts';
import { parseForm } from '$lib/server/forms';
import { startSession } from '$lib/server/session';
import { isDomainError } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

/** First run (issue #3): only while no account exists, and only the first coordinator. */
export const load: PageServerLoad = ({ locals }) => {
	if (!locals.app.accounts.setupRequired()) redirect(303, '/login');
	return { passwordMinLength };
};

export const actions: Actions = {
	default: async ({ request, locals, cookies, url }) => {
		if (!locals.app.accounts.setupRequired()) redirect(303, '/login');
		const parsed = parseForm(FirstCoordinator, await request.formData());
		// The passwords are never echoed back.
		const values = { email: String(parsed.input.email ?? '').trim(), name: String(parsed.input.name ?? '').trim() };
		if (!parsed.ok) return fail(400, { values, errors: parsed.errors });
		const { email, name, password } = parsed.output;
		try {
			const { sessionId } = await locals.app.accounts.setup({ email, name, password });
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
