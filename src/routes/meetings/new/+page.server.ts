import { error, fail, redirect } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime';
import { NewMeetingForm } from '$lib/protocol/participants';
import { parseForm } from '$lib/server/forms';
import { signInFirst } from '$lib/server/navigation';
import { isDomainError } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.principal.kind === 'anonymous') signInFirst(url);
	if (!locals.app.policy.isCoordinatorAccount(locals.principal)) error(403, { message: 'Only coordinators create meetings.' });
	// The meeting's language defaults to the coordinator's own.
	return { defaultLanguage: getLocale() };
};

export const actions: Actions = {
	default: async ({ request, locals, url }) => {
		if (locals.principal.kind === 'anonymous') signInFirst(url);
		// Only web links become links (the schema's rule): any other failure of one is an invalid URL.
		const checked = parseForm(NewMeetingForm, await request.formData(), { remoteLink: 'invalid_url' });
		const text = (name: string) => String(checked.input[name] ?? '');
		const values = {
			title: text('title'),
			scheduledAt: text('scheduledAt'),
			place: text('place'),
			remoteLink: text('remoteLink').trim(),
			language: text('language')
		};
		if (!checked.ok) return fail(400, { values, errors: checked.errors });
		let id: string;
		try {
			id = locals.app.participation.create(locals.principal, checked.output).id;
		} catch (cause) {
			if (isDomainError(cause) && cause.code === 'forbidden') error(403, { message: cause.message });
			throw cause;
		}
		redirect(303, `/meetings/${id}/participants`);
	}
};
