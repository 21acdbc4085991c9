import { error, redirect } from '@sveltejs/kit';
import { loadRefusal, signInFirst } from '$lib/server/navigation';
import { isDomainError } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

/**
 * A client's service path: every meeting of it, and the readable difference between any two closed
 * plan versions (issue #6). Participants only, and only the meetings of it the reader can open: others' titles never appear.
 * It also says when the path's content will be deleted, and lets a coordinator of every meeting of the
 * path delete it now (docs/retention.md).
 */
export const load: PageServerLoad = ({ params, locals, url }) => {
	if (locals.principal.kind === 'anonymous') signInFirst(url);
	try {
		const { meeting } = locals.app.participation.view(locals.principal, params.id, 'page');
		const { closing, retention } = locals.app;
		const history = closing.historyFor(locals.principal, params.id).map((entry) => ({
			id: entry.meeting.id,
			title: entry.meeting.title,
			scheduledAt: entry.meeting.scheduledAt,
			kind: entry.kind,
			version: entry.version,
			hash: entry.hash
		}));
		const versions = history.filter((entry) => entry.version !== null);
		const known = (id: string | null) => (id && versions.some((entry) => entry.id === id) ? id : null);
		const to = known(url.searchParams.get('to')) ?? versions.at(-1)?.id ?? null;
		const toIndex = versions.findIndex((entry) => entry.id === to);
		const from = known(url.searchParams.get('from')) ?? (toIndex > 0 ? versions[toIndex - 1]!.id : null);

		let comparison = null;
		if (from && to && from !== to) {
			const before = closing.version(from)!.plan;
			const after = closing.version(to)!.plan;
			comparison = {
				diff: closing.diff(from, to),
				before: { goals: before.goals, services: before.services },
				after: { goals: after.goals, services: after.services }
			};
		}
		return {
			meeting: { id: meeting.id, title: meeting.title },
			history,
			versions,
			from,
			to,
			comparison,
			retention: retention.forMeeting(params.id),
			canDeletePath: retention.mayDeletePath(locals.principal, params.id)
		};
	} catch (cause) {
		return loadRefusal(cause, url);
	}
};

export const actions: Actions = {
	/** Deletes the whole path now, after the confirmation step; then the meeting list says so. */
	deletePath: async ({ params, locals, url }) => {
		if (locals.principal.kind === 'anonymous') signInFirst(url);
		let deleted: string[];
		try {
			deleted = await locals.app.retention.deletePath(locals.principal, params.id);
		} catch (cause) {
			if (isDomainError(cause) && cause.code === 'unauthenticated') signInFirst(url);
			if (isDomainError(cause)) error(cause.status, { message: cause.message });
			throw cause;
		}
		redirect(303, `/?pathDeleted=${deleted.length}`);
	}
};
