import { error, fail } from '@sveltejs/kit';
import { renderSVG } from 'uqr';
import type { FieldErrors } from '$lib/forms/errors';
import { getLocale } from '$lib/paraglide/runtime';
import { field } from '$lib/server/forms';
import { isDomainError } from '$lib/server/http';
import { loadRefusal, signInFirst } from '$lib/server/navigation';
import { helsinkiLocalToInstant } from '$lib/time/helsinki';
import type { Actions, PageServerLoad } from './$types';
import { joinUrl } from '$lib/server/join-url';

/**
 * The summary of a closed meeting (issue #6): its plan version, a short excerpt for each
 * organisation's own records, and the plan in plain language for the client. Participants only;
 * opening it is recorded in the audit trail like the room.
 */
export const load: PageServerLoad = async ({ params, locals, url }) => {
	if (locals.principal.kind === 'anonymous') signInFirst(url);
	try {
		const { meeting, access } = locals.app.participation.view(locals.principal, params.id, 'page');
		const { closing } = locals.app;
		const base = {
			meeting: { id: meeting.id, title: meeting.title, scheduledAt: meeting.scheduledAt, place: meeting.place, language: meeting.language },
			kind: closing.kindOf(params.id),
			you: { id: access.participant.id, role: access.participant.role, canDecide: access.canDecide },
			abilities: access.abilities,
			history: closing.history(params.id).map((entry) => ({
				id: entry.meeting.id,
				title: entry.meeting.title,
				scheduledAt: entry.meeting.scheduledAt,
				kind: entry.kind,
				version: entry.version,
				accessible: locals.app.policy.meeting(locals.principal, entry.meeting.id).ok
			}))
		};
		if (!closing.isClosed(params.id)) return { ...base, closed: false as const };
		// The texts in the reader's own language; the exports default to the meeting's.
		const { input, excerpts, plain } = await locals.app.summary(params.id, getLocale());
		const { version } = input;
		return {
			...base,
			closed: true as const,
			version: {
				number: version.version,
				hash: version.hash,
				closedAt: version.closedAt,
				closedBy: version.plan.participants.find((p) => p.id === version.closedBy)?.name ?? null
			},
			plan: version.plan,
			evaluation: input.evaluation,
			consent: input.consent,
			excerpts,
			plain
		};
	} catch (cause) {
		return loadRefusal(cause, url);
	}
};

const kinds = ['follow_up', 'closing'] as const;

export const actions: Actions = {
	/** "New follow-up meeting" / "Closing meeting": starts it from this plan, invites everyone again. */
	next: async ({ params, locals, request, url }) => {
		if (locals.principal.kind === 'anonymous') signInFirst(url);
		const form = await request.formData();
		const values = { kind: field(form, 'kind'), title: field(form, 'title').trim(), scheduledAt: field(form, 'scheduledAt') };
		const errors: FieldErrors = {};
		if (!(kinds as readonly string[]).includes(values.kind)) errors.kind = 'invalid_choice';
		if (!values.title) errors.title = 'required';
		else if (values.title.length > 200) errors.title = 'too_long';
		// The browser sends the wall-clock time the coordinator picked, which means Helsinki time.
		let scheduledAt: string | null = null;
		if (values.scheduledAt) {
			const instant = helsinkiLocalToInstant(values.scheduledAt);
			if (instant) scheduledAt = instant.toISOString();
			else errors.scheduledAt = 'invalid_datetime';
		}
		if (Object.keys(errors).length > 0) return fail(400, { next: { values, errors, failed: false } });
		try {
			const access = locals.app.participation.access(locals.principal, params.id);
			const { meeting, invites } = await locals.app.closing.startNext(access, locals.principal, {
				kind: values.kind as (typeof kinds)[number],
				title: values.title,
				scheduledAt
			});
			// The links are shown once, here: the server keeps only their hashes.
			const participants = new Map(locals.app.participants.list(meeting.id).map((p) => [p.id, p]));
			return {
				started: {
					id: meeting.id,
					title: meeting.title,
					kind: values.kind,
					invites: invites.map((invite) => {
						const href = joinUrl(url, invite.token);
						const person = participants.get(invite.participantId);
						return {
							participantId: invite.participantId,
							name: person?.name ?? '',
							role: person?.role ?? 'other',
							url: href,
							qrSvg: renderSVG(href, { ecc: 'M', border: 4 }),
							expiresAt: invite.expiresAt
						};
					})
				}
			};
		} catch (cause) {
			if (isDomainError(cause)) {
				if (cause.code === 'unauthenticated') signInFirst(url);
				if (cause.code === 'forbidden' || cause.code === 'not_found') error(cause.status, { message: cause.message });
				console.error(`Starting the next meeting after ${params.id} failed`, cause);
				return fail(cause.status, { next: { values, errors, failed: true } });
			}
			throw cause;
		}
	}
};
