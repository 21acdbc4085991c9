import { redirect } from '@sveltejs/kit';
import { clearSessionCookie } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.principal.kind === 'anonymous') redirect(303, '/');
	return {};
};

export const actions: Actions = {
	/** Ends the session on the server (so the cookie is worthless even if copied), then the cookie. */
	default: async ({ locals, cookies, url }) => {
		await locals.app.accounts.signOut(locals.principal);
		clearSessionCookie(cookies, url);
		redirect(303, '/');
	}
};
