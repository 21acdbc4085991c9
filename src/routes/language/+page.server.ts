import { fail, redirect } from '@sveltejs/kit';
import { cookieMaxAge, cookieName } from '$lib/paraglide/runtime';
import { LanguageChoice } from '$lib/protocol/language';
import { parseForm } from '$lib/server/forms';
import { safeNext } from '$lib/server/navigation';
import type { Actions } from './$types';

export const actions: Actions = {
	/**
	 * The language picker without JavaScript (issue 22): the same cookie that Paraglide's `setLocale`
	 * writes in the browser, then back to the page the person was on (a path on this site only).
	 */
	default: async ({ request, cookies, url }) => {
		const choice = parseForm(LanguageChoice, await request.formData());
		if (!choice.ok) return fail(400, { problem: 'unknown_language' as const });
		cookies.set(cookieName, choice.output.locale, {
			path: '/',
			maxAge: cookieMaxAge,
			// Paraglide reads it in the browser too (document.cookie), so it cannot be HttpOnly.
			httpOnly: false,
			sameSite: 'lax',
			secure: url.protocol === 'https:'
		});
		redirect(303, safeNext(choice.output.back));
	}
};
