import { json } from '@sveltejs/kit';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/**
 * `GET /api/meetings/:id/history` → the client's service path: its meetings and plan versions, when
 * its content will be deleted (`retention`, docs/retention.md), and whether the caller may delete the
 * whole path now (`canDeletePath`).
 */
export const GET: RequestHandler = ({ params, locals }) => {
	try {
		locals.app.participation.access(locals.principal, params.id);
		const history = locals.app.closing.historyFor(locals.principal, params.id).map(({ meeting, kind, version, hash }) => ({
			id: meeting.id,
			title: meeting.title,
			scheduledAt: meeting.scheduledAt,
			kind,
			version,
			hash,
			// Only meetings the caller can open are listed; kept for clients that read it (docs/api.md).
			accessible: true
		}));
		return json({
			meetings: history,
			retention: locals.app.retention.forMeeting(params.id),
			canDeletePath: locals.app.retention.mayDeletePath(locals.principal, params.id)
		});
	} catch (cause) {
		return apiError(cause);
	}
};
