import { json } from '@sveltejs/kit';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';
import { joinUrl } from '$lib/server/join-url';

/**
 * `GET /api/meetings/:id/participants/:pid/invites` → 200 `{ invites: [{ id, createdAt, expiresAt }] }`:
 * the guest's links that still work, oldest first. Never the links themselves: only their hashes
 * are kept (docs/api.md, "Invitation links").
 */
export const GET: RequestHandler = ({ params, locals }) => {
	try {
		const invites = locals.app.participation.validInvites(locals.principal, params.id, params.pid);
		return json({ invites }, { headers: { 'cache-control': 'no-store' } });
	} catch (cause) {
		return apiError(cause);
	}
};

/**
 * `POST /api/meetings/:id/participants/:pid/invites` → 201 `{ id, inviteUrl, expiresAt }`: one more
 * link for the guest; the earlier ones keep working. The link appears only in this answer.
 */
export const POST: RequestHandler = ({ params, locals, url }) => {
	try {
		const invite = locals.app.participation.reissueInvite(locals.principal, params.id, params.pid);
		return json(
			{ id: invite.id, inviteUrl: joinUrl(url, invite.token), expiresAt: invite.expiresAt },
			{ status: 201, headers: { 'cache-control': 'no-store' } }
		);
	} catch (cause) {
		return apiError(cause);
	}
};
