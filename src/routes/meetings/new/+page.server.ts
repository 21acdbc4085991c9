import { error, fail, redirect } from '@sveltejs/kit';
import type { FieldErrors } from '$lib/forms/errors';
import { getLocale } from '$lib/paraglide/runtime';
import { NewMeeting } from '$lib/protocol/participants';
import { field, validate } from '$lib/server/forms';
import { signInFirst } from '$lib/server/navigation';
import { helsinkiLocalToInstant } from '$lib/time/helsinki';
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
		const form = await request.formData();
		const values = {
			title: field(form, 'title'),
			scheduledAt: field(form, 'scheduledAt'),
			place: field(form, 'place'),
			remoteLink: field(form, 'remoteLink').trim(),
			language: field(form, 'language')
		};
		const errors: FieldErrors = {};
		// The browser sends the wall-clock time the coordinator picked, which means Helsinki time.
		let scheduledAt = '';
		if (values.scheduledAt) {
			const instant = helsinkiLocalToInstant(values.scheduledAt);
			if (instant) scheduledAt = instant.toISOString();
			else errors.scheduledAt = 'invalid_datetime';
		}
		// Only web links: a `javascript:` or `file:` URL must never become a link in the meeting.
		if (values.remoteLink && !/^https?:\/\//i.test(values.remoteLink)) errors.remoteLink = 'invalid_url';
		const checked = validate(
			NewMeeting,
			{ ...values, scheduledAt, language: values.language || undefined },
			{ remoteLink: 'invalid_url', scheduledAt: 'invalid_datetime' }
		);
		if (!checked.ok) for (const [name, code] of Object.entries(checked.errors)) errors[name] ??= code;
		if (!checked.ok || Object.keys(errors).length > 0) return fail(400, { values, errors });
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
