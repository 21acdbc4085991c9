import { fail, redirect } from '@sveltejs/kit';
import { emailMaxLength, SignIn } from '$lib/protocol/accounts';
import { parseForm, retryAfter } from '$lib/server/forms';
import { safeNext } from '$lib/server/navigation';
import { startSession } from '$lib/server/session';
import { isDomainError } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.principal.kind === 'account') redirect(303, safeNext(url.searchParams.get('next')));
	return {};
};

export const actions: Actions = {
	// The form posts to its own URL, so `?next=` comes along without a hidden field.
	default: async ({ request, locals, cookies, url, getClientAddress }) => {
		const parsed = parseForm(SignIn, await request.formData());
		// Never the password, nor an e-mail longer than any address: it is echoed into the page.
		const values = { email: String(parsed.input.email ?? '').trim().slice(0, emailMaxLength) };
		if (!parsed.ok) return fail(400, { values, errors: parsed.errors });
		const { email, password } = parsed.output;
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
