import { json } from '@sveltejs/kit';
import { NewParticipant } from '$lib/protocol/participants';
import { apiError, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';
import { joinUrl } from '$lib/server/join-url';

/**
 * `POST /api/meetings/:id/participants` → 201 `{ id, inviteUrl }` (inviteUrl is null for an account).
 * The invitation token appears only in this response; the server keeps its hash.
 */
export const POST: RequestHandler = async ({ request, params, locals, url }) => {
	try {
		const input = await readJson(request, NewParticipant);
		const { participant, invite } = locals.app.participation.addParticipant(locals.principal, params.id, input);
		return json(
			{
				id: participant.id,
				inviteUrl: invite ? joinUrl(url, invite.token) : null,
				inviteExpiresAt: invite?.expiresAt ?? null
			},
			{ status: 201, headers: { 'cache-control': 'no-store' } }
		);
	} catch (cause) {
		return apiError(cause);
	}
};
