import { error, fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { JoinForm } from '$lib/protocol/participants';
import { parseForm, retryAfter } from '$lib/server/forms';
import { startSession } from '$lib/server/session';
import { isDomainError } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

const refusalReasons = ['unknown', 'expired', 'revoked'] as const;

/**
 * An invitation that cannot be used becomes the error page with its status (404 unknown, 403
 * expired or revoked, 429 too many attempts) and the reason, so the page can say what to do.
 */
function refuse(cause: unknown): never {
	if (isDomainError(cause)) {
		if (cause.code === 'rate_limited') {
			error(429, { message: cause.message, reason: 'rate_limited', retry: retryAfter(cause) });
		}
		const reason = refusalReasons.find((r) => cause.detail.issues?.some((issue) => issue.path === 'token' && issue.message === r));
		if (reason) error(cause.status, { message: cause.message, reason });
	}
	throw cause;
}

export const load: PageServerLoad = ({ params, locals, getClientAddress }) => {
	try {
		const preview = locals.app.participation.open(params.token, getClientAddress());
		const { meeting, participant } = preview;
		return {
			meeting: {
				title: meeting.title,
				scheduledAt: meeting.scheduledAt,
				place: meeting.place,
				// Only a web link becomes a link.
				remoteLink: /^https?:\/\//i.test(meeting.remoteLink) ? meeting.remoteLink : ''
			},
			participant: { name: participant.name, role: participant.role, organisation: participant.organisation },
			consentRequired: preview.consentRequired,
			previousConsent: preview.previousConsent
		};
	} catch (cause) {
		refuse(cause);
	}
};

export const actions: Actions = {
	/**
	 * Joins: the name to show and, for the client, the consent (the ticked organisations; none ticked
	 * is an answer too: nothing is shared). Then a guest session bound to this one meeting.
	 */
	default: async ({ request, params, locals, cookies, url, getClientAddress }) => {
		const parsed = parseForm(JoinForm, await request.formData());
		if (!parsed.ok) {
			const values = { name: String(parsed.input.name ?? '').trim(), consent: v.parse(JoinForm.entries.consent, parsed.input.consent) };
			return fail(400, { values, errors: parsed.errors });
		}
		const { name, consent } = parsed.output;
		const values = { name, consent };
		let meetingId: string;
		try {
			const joined = await locals.app.participation.join(params.token, { name, consent }, getClientAddress());
			meetingId = joined.meetingId;
			await startSession(locals.app.auth, cookies, url, joined.sessionId);
		} catch (cause) {
			if (isDomainError(cause) && cause.code === 'invalid') {
				return fail(400, { values, errors: { name: 'required' as const } });
			}
			refuse(cause);
		}
		redirect(303, `/meetings/${meetingId}`);
	}
};
