import { json } from '@sveltejs/kit';
import { DomainError } from '$lib/domain-error';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** `GET /api/meetings/:id/diff?from=<meetingId>` → the readable difference from another version. */
export const GET: RequestHandler = ({ params, locals, url }) => {
	try {
		const from = url.searchParams.get('from');
		if (!from) throw new DomainError('invalid', 'Give ?from=<meeting id> of the earlier version.');
		locals.app.participation.access(locals.principal, params.id);
		locals.app.participation.access(locals.principal, from);
		return json(locals.app.closing.diff(from, params.id));
	} catch (cause) {
		return apiError(cause);
	}
};
