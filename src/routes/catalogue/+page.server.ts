import { error, fail } from '@sveltejs/kit';
import type { FieldErrors } from '$lib/forms/errors';
import { CatalogueBody } from '$lib/protocol/catalogue';
import { field, parseForm } from '$lib/server/forms';
import { loadRefusal, signInFirst } from '$lib/server/navigation';
import { isDomainError } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

const fields = ['sector', 'nameFi', 'nameSv', 'provider', 'contact', 'descriptionFi', 'descriptionSv'] as const;
type Values = Record<(typeof fields)[number], string>;

/** The region's service catalogue (issue #5): coordinators keep it; maps offer it as you type. */
export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.principal.kind === 'anonymous') signInFirst(url);
	if (!locals.app.policy.isCoordinatorAccount(locals.principal)) {
		error(403, { message: 'Only coordinators keep the service catalogue.' });
	}
	try {
		return { entries: locals.app.catalogue.list(locals.principal) };
	} catch (cause) {
		loadRefusal(cause, url);
	}
};

function read(form: FormData): Values {
	return Object.fromEntries(fields.map((name) => [name, field(form, name).trim()])) as Values;
}

/** Refusals every action shares: sign in again, or not a coordinator. */
function refused(cause: unknown, url: URL): void {
	if (!isDomainError(cause)) throw cause;
	if (cause.code === 'unauthenticated') signInFirst(url);
	if (cause.code === 'forbidden') error(403, { message: cause.message });
}

/** A refusal of the catalogue's own checks, as field error codes. */
function invalid(cause: unknown): FieldErrors | null {
	if (!isDomainError(cause) || cause.code !== 'invalid') return null;
	const errors: FieldErrors = {};
	for (const issue of cause.detail.issues ?? []) errors[issue.path] = issue.path === 'nameFi' ? 'required' : 'invalid_choice';
	return errors;
}

export const actions: Actions = {
	add: async ({ request, locals, url }) => {
		if (locals.principal.kind === 'anonymous') signInFirst(url);
		const form = await request.formData();
		const values = read(form);
		const checked = parseForm(CatalogueBody, form);
		if (!checked.ok) return fail(400, { action: 'add' as const, values, errors: checked.errors });
		try {
			const entry = locals.app.catalogue.add(locals.principal, checked.output);
			return { action: 'add' as const, done: entry.nameFi };
		} catch (cause) {
			refused(cause, url);
			const errors = invalid(cause);
			if (errors) return fail(400, { action: 'add' as const, values, errors });
			throw cause;
		}
	},

	update: async ({ request, locals, url }) => {
		if (locals.principal.kind === 'anonymous') signInFirst(url);
		const form = await request.formData();
		const id = field(form, 'id');
		const values = read(form);
		const checked = parseForm(CatalogueBody, form);
		if (!checked.ok) return fail(400, { action: 'update' as const, id, values, errors: checked.errors });
		try {
			const entry = locals.app.catalogue.update(locals.principal, id, checked.output);
			return { action: 'update' as const, id, done: entry.nameFi };
		} catch (cause) {
			refused(cause, url);
			if (isDomainError(cause) && cause.code === 'not_found') {
				return fail(404, { action: 'update' as const, id, problem: 'not_found' as const });
			}
			const errors = invalid(cause);
			if (errors) return fail(400, { action: 'update' as const, id, values, errors });
			throw cause;
		}
	},

	remove: async ({ request, locals, url }) => {
		if (locals.principal.kind === 'anonymous') signInFirst(url);
		const form = await request.formData();
		const id = field(form, 'id');
		try {
			const entry = locals.app.catalogue.list(locals.principal).find((e) => e.id === id);
			if (!entry) return fail(404, { action: 'remove' as const, id, problem: 'not_found' as const });
			locals.app.catalogue.remove(locals.principal, id);
			return { action: 'remove' as const, done: entry.nameFi };
		} catch (cause) {
			refused(cause, url);
			if (isDomainError(cause) && cause.code === 'not_found') {
				return fail(404, { action: 'remove' as const, id, problem: 'not_found' as const });
			}
			throw cause;
		}
	}
};
