import { json } from '@sveltejs/kit';
import * as v from 'valibot';
import { apiError, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';

const Body = v.object({
	kind: v.optional(v.picklist(['follow_up', 'closing']), 'follow_up'),
	title: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)),
	scheduledAt: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(40), v.isoTimestamp())), null)
});

/**
 * `POST /api/meetings/:id/follow-up` `{kind, title, scheduledAt?}` → 201 `{ id, invites }`: a new
 * meeting that starts from this closed meeting's plan, with the same participants invited again.
 */
export const POST: RequestHandler = async ({ params, request, locals, url }) => {
	try {
		const input = await readJson(request, Body);
		const access = locals.app.participation.access(locals.principal, params.id);
		const { meeting, invites } = await locals.app.closing.startNext(access, locals.principal, input);
		return json(
			{
				id: meeting.id,
				invites: invites.map(({ participantId, token, expiresAt }) => ({
					participantId,
					inviteUrl: new URL(`/join/${token}`, url.origin).href,
					expiresAt
				}))
			},
			{ status: 201, headers: { 'cache-control': 'no-store' } }
		);
	} catch (cause) {
		return apiError(cause);
	}
};
