import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/**
 * `DELETE /api/meetings/:id/participants/:pid/invites/:inviteId` → 204: the link stops working and the
 * sessions opened with it end, their live connections closing at once (every session of the guest
 * when it was their last valid link). 404 when it is not a valid link of that participant.
 */
export const DELETE: RequestHandler = ({ params, locals }) => {
	try {
		locals.app.participation.revokeInvite(locals.principal, params.id, params.pid, params.inviteId);
		return new Response(null, { status: 204 });
	} catch (cause) {
		return apiError(cause);
	}
};
