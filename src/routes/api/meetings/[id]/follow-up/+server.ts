import { json } from '@sveltejs/kit';
import { FollowUpRequest, type FollowUpStarted } from '$lib/protocol/closing';
import { apiError, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';
import { joinUrl } from '$lib/server/join-url';

/**
 * `POST /api/meetings/:id/follow-up` `{kind, title, scheduledAt?}` → 201 `{ id, invites }`: a new
 * meeting that starts from this closed meeting's plan, with the same participants invited again.
 */
export const POST: RequestHandler = async ({ params, request, locals, url }) => {
	try {
		const input = await readJson(request, FollowUpRequest);
		const access = locals.app.participation.access(locals.principal, params.id);
		const { meeting, invites } = await locals.app.closing.startNext(access, locals.principal, input);
		return json(
			{
				id: meeting.id,
				invites: invites.map(({ participantId, token, expiresAt }) => ({
					participantId,
					inviteUrl: joinUrl(url, token),
					expiresAt
				}))
			} satisfies FollowUpStarted,
			{ status: 201, headers: { 'cache-control': 'no-store' } }
		);
	} catch (cause) {
		return apiError(cause);
	}
};
