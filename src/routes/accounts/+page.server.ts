import { error, fail } from '@sveltejs/kit';
import type { FieldErrors } from '$lib/forms/errors';
import { NewAccount, passwordMinLength } from '$lib/protocol/accounts';
import { field, parseForm } from '$lib/server/forms';
import { loadRefusal, signInFirst } from '$lib/server/navigation';
import { isDomainError } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

/** Accounts of professionals and coordinators: coordinator accounts manage them. */
export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.principal.kind === 'anonymous') signInFirst(url);
	const principal = locals.principal;
	try {
		const users = locals.app.accounts.list(principal);
		return {
			passwordMinLength,
			accounts: users.map((user) => ({
				id: user.id,
				name: user.name,
				email: user.email,
				role: user.role,
				disabled: user.disabled,
				isYou: principal.kind === 'account' && principal.userId === user.id
			}))
		};
	} catch (cause) {
		loadRefusal(cause, url);
	}
};

/** Refusals both actions share. */
function refused(cause: unknown, url: URL): void {
	if (!isDomainError(cause)) throw cause;
	if (cause.code === 'unauthenticated') signInFirst(url);
	if (cause.code === 'forbidden') error(403, { message: cause.message });
}

export const actions: Actions = {
	add: async ({ request, locals, url }) => {
		if (locals.principal.kind === 'anonymous') signInFirst(url);
		const parsed = parseForm(NewAccount, await request.formData());
		// The initial password is never sent back, not even after a refusal.
		const text = (name: string) => String(parsed.input[name] ?? '').trim();
		const values = { email: text('email'), name: text('name'), role: text('role') };
		if (!parsed.ok) return fail(400, { action: 'add' as const, values, errors: parsed.errors });
		try {
			const user = await locals.app.accounts.add(locals.principal, parsed.output);
			return { action: 'add' as const, added: user.name };
		} catch (cause) {
			refused(cause, url);
			if (isDomainError(cause) && (cause.code === 'conflict' || cause.code === 'invalid')) {
				const path = cause.detail.issues?.[0]?.path;
				const error = cause.code === 'conflict' ? 'email_taken' : path === 'password' ? 'password_length' : path === 'name' ? 'required' : 'invalid_email';
				return fail(cause.status, { action: 'add' as const, values, errors: { [path ?? 'email']: error } as FieldErrors });
			}
			throw cause;
		}
	},

	/** Ends the account's sessions and live connections at once (server/accounts.ts). */
	disable: async ({ request, locals, url }) => {
		if (locals.principal.kind === 'anonymous') signInFirst(url);
		const userId = field(await request.formData(), 'userId');
		try {
			const user = locals.app.accounts.list(locals.principal).find((u) => u.id === userId);
			if (!user) return fail(404, { action: 'disable' as const, problem: 'not_found' as const });
			await locals.app.accounts.disable(locals.principal, user.id);
			return { action: 'disable' as const, disabled: user.name };
		} catch (cause) {
			refused(cause, url);
			if (isDomainError(cause) && cause.code === 'unprocessable') {
				return fail(422, { action: 'disable' as const, problem: cause.detail.reason === 'last_coordinator' ? ('last_coordinator' as const) : ('self' as const) });
			}
			throw cause;
		}
	},

	/** Lets a disabled account sign in again (server/accounts.ts; audited as `user_enabled`). */
	enable: async ({ request, locals, url }) => {
		if (locals.principal.kind === 'anonymous') signInFirst(url);
		const userId = field(await request.formData(), 'userId');
		try {
			const user = locals.app.accounts.list(locals.principal).find((u) => u.id === userId);
			if (!user) return fail(404, { action: 'enable' as const, problem: 'not_found' as const });
			locals.app.accounts.enable(locals.principal, user.id);
			return { action: 'enable' as const, enabled: user.name };
		} catch (cause) {
			refused(cause, url);
			throw cause;
		}
	}
};
