import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { renderSVG } from 'uqr';
import type { FieldErrors } from '$lib/forms/errors';
import { NewAccountParticipantForm, NewGuestForm } from '$lib/protocol/participants';
import { field, parseForm } from '$lib/server/forms';
import { loadRefusal, signInFirst } from '$lib/server/navigation';
import { isDomainError } from '$lib/server/http';
import type { Principal } from '../../../../../server/policy.js';
import type { Actions, PageServerLoad } from './$types';
import { joinUrl } from '$lib/server/join-url';

/** Who takes part in a meeting, and their invitations: the meeting's coordinators only. */
export const load: PageServerLoad = ({ params, locals, url }) => {
	if (locals.principal.kind === 'anonymous') signInFirst(url);
	const principal = locals.principal;
	const { participation, policy, accounts, meetings } = locals.app;
	try {
		const access = participation.access(principal, params.id);
		// Open: add and remove people. Closed: only remove (it ends their access to the client's data).
		const { abilities } = access;
		if (!(abilities.manageParticipants || abilities.revokeParticipant)) {
			error(403, { message: "Only the meeting's coordinator can manage its participants." });
		}
		const meeting = meetings.get(params.id)!;
		const all = participation.participants(principal, params.id);
		const taking = new Set(all.flatMap((p) => (p.userId ? [p.userId] : [])));
		// Only coordinator accounts may read the accounts list; a professional acting as a meeting's
		// coordinator invites by link instead.
		const addable = abilities.manageParticipants && policy.isCoordinatorAccount(principal)
			? accounts
					.list(principal)
					.filter((user) => !user.disabled && !taking.has(user.id))
					.map(({ id, name, email }) => ({ id, name, email }))
			: null;
		return {
			meeting: { id: meeting.id, title: meeting.title, scheduledAt: meeting.scheduledAt },
			participants: all.map((p) => ({
				id: p.id,
				name: p.name,
				chosenName: p.chosenName,
				role: p.role,
				organisation: p.organisation,
				presence: p.presence,
				access: p.access,
				revoked: p.revoked,
				hasAccount: p.userId !== null,
				isYou: p.id === access.participant.id,
				scribe: p.scribe,
				// Every link of a guest that still works (issue #21 item 9): only when and until, never the
				// link itself (the server keeps its hash only).
				invites: p.userId === null && !p.revoked ? participation.validInvites(principal, params.id, p.id) : []
			})),
			addable,
			abilities
		};
	} catch (cause) {
		loadRefusal(cause, url);
	}
};

/** The link and its QR code, shown once: only the token's hash is kept. */
function invitation(url: URL, name: string, invite: { token: string; expiresAt: string }) {
	const href = joinUrl(url, invite.token);
	return { name, url: href, qrSvg: renderSVG(href, { ecc: 'M', border: 4 }), expiresAt: invite.expiresAt };
}

/** Refusals every action shares: sign in again, or no right to manage this meeting. */
function commonRefusal(cause: unknown, url: URL): void {
	if (!isDomainError(cause)) throw cause;
	if (cause.code === 'unauthenticated') signInFirst(url);
	if (cause.code === 'forbidden') error(403, { message: cause.message });
}

/** The meeting closed (the Policy's 409): the form says so, as the JSON API does. */
function closedRefusal<A extends string>(cause: unknown, action: A) {
	if (isDomainError(cause) && cause.detail.reason === 'meeting_closed') {
		return fail(409, { action, problem: 'meeting_closed' as const, code: cause.code, message: cause.message });
	}
	return undefined;
}

function signedIn({ locals, url }: RequestEvent): Exclude<Principal, { kind: 'anonymous' }> {
	if (locals.principal.kind === 'anonymous') signInFirst(url);
	return locals.principal;
}

export const actions: Actions = {
	/** A guest participant with a personal invitation link. */
	add: async (event) => {
		const principal = signedIn(event);
		const form = await event.request.formData();
		const values = {
			name: field(form, 'name'),
			role: field(form, 'role'),
			organisation: field(form, 'organisation'),
			presence: field(form, 'presence'),
			access: field(form, 'access')
		};
		const checked = parseForm(NewGuestForm, form);
		if (!checked.ok) return fail(400, { action: 'add' as const, values, errors: checked.errors });
		try {
			const { participant, invite } = event.locals.app.participation.addParticipant(principal, event.params.id, checked.output);
			return { action: 'add' as const, invite: invite && invitation(event.url, participant.name, invite) };
		} catch (cause) {
			const closed = closedRefusal(cause, 'add' as const);
			if (closed) return closed;
			commonRefusal(cause, event.url);
			throw cause;
		}
	},

	/** A professional with an account: no invitation, they sign in. */
	addAccount: async (event) => {
		const principal = signedIn(event);
		const form = await event.request.formData();
		const values = {
			userId: field(form, 'userId'),
			role: field(form, 'role'),
			organisation: field(form, 'organisation'),
			presence: field(form, 'presence'),
			access: field(form, 'access')
		};
		const checked = parseForm(NewAccountParticipantForm, form);
		if (!checked.ok) return fail(400, { action: 'addAccount' as const, values, errors: checked.errors });
		try {
			const user = event.locals.app.accounts.list(principal).find((u) => u.id === checked.output.userId && !u.disabled);
			if (!user) {
				const errors: FieldErrors = { userId: 'invalid_choice' };
				return fail(400, { action: 'addAccount' as const, values, errors });
			}
			event.locals.app.participation.addParticipant(principal, event.params.id, { ...checked.output, name: user.name });
			return { action: 'addAccount' as const, added: user.name };
		} catch (cause) {
			const closed = closedRefusal(cause, 'addAccount' as const);
			if (closed) return closed;
			commonRefusal(cause, event.url);
			if (isDomainError(cause) && cause.code === 'conflict') {
				return fail(409, { action: 'addAccount' as const, values, problem: 'account_taken' as const });
			}
			throw cause;
		}
	},

	/** A new link for a guest; the old one stops working at once. */
	reissue: async (event) => {
		const principal = signedIn(event);
		const participantId = field(await event.request.formData(), 'participantId');
		const { participation } = event.locals.app;
		try {
			const participant = participation.participants(principal, event.params.id).find((p) => p.id === participantId);
			if (!participant) return fail(404, { action: 'reissue' as const, problem: 'participant_not_found' as const });
			const invite = participation.reissueInvite(principal, event.params.id, participant.id);
			return { action: 'reissue' as const, invite: invitation(event.url, participant.name, invite) };
		} catch (cause) {
			const closed = closedRefusal(cause, 'reissue' as const);
			if (closed) return closed;
			commonRefusal(cause, event.url);
			if (isDomainError(cause) && (cause.code === 'conflict' || cause.code === 'unprocessable')) {
				return fail(cause.status, { action: 'reissue' as const, problem: 'reissue_refused' as const });
			}
			throw cause;
		}
	},

	/** Revokes one invitation link; the sessions made from it end (server/participation.ts). */
	revokeInvite: async (event) => {
		const principal = signedIn(event);
		const form = await event.request.formData();
		const participantId = field(form, 'participantId');
		const inviteId = field(form, 'inviteId');
		const { participation } = event.locals.app;
		try {
			const participant = participation.participants(principal, event.params.id).find((p) => p.id === participantId);
			if (!participant) return fail(404, { action: 'revokeInvite' as const, problem: 'participant_not_found' as const });
			participation.revokeInvite(principal, event.params.id, participant.id, inviteId);
			return { action: 'revokeInvite' as const, inviteRevoked: participant.name };
		} catch (cause) {
			commonRefusal(cause, event.url);
			if (isDomainError(cause) && cause.code === 'not_found') {
				return fail(404, { action: 'revokeInvite' as const, problem: 'invite_not_found' as const });
			}
			throw cause;
		}
	},

	/** Names or un-names a scribe (issue #21 item 2): they may write perspectives for others. */
	scribe: async (event) => {
		const principal = signedIn(event);
		const form = await event.request.formData();
		const participantId = field(form, 'participantId');
		const on = field(form, 'scribe') === 'on';
		const { participation, scribes } = event.locals.app;
		try {
			const access = participation.access(principal, event.params.id);
			scribes.setScribe(access, participantId, on);
			return { action: 'scribe' as const };
		} catch (cause) {
			const closed = closedRefusal(cause, 'scribe' as const);
			if (closed) return closed;
			commonRefusal(cause, event.url);
			if (isDomainError(cause) && (cause.code === 'not_found' || cause.code === 'unprocessable')) {
				return fail(cause.status, { action: 'scribe' as const, problem: 'scribe_refused' as const });
			}
			throw cause;
		}
	},

	/** Revoking closes the participant's live connections at once (server/participation.ts). */
	revoke: async (event) => {
		const principal = signedIn(event);
		const participantId = field(await event.request.formData(), 'participantId');
		const { participation } = event.locals.app;
		try {
			const participant = participation.participants(principal, event.params.id).find((p) => p.id === participantId);
			if (!participant) return fail(404, { action: 'revoke' as const, problem: 'participant_not_found' as const });
			await participation.revoke(principal, event.params.id, participant.id);
			return { action: 'revoke' as const, revoked: participant.name };
		} catch (cause) {
			const closed = closedRefusal(cause, 'revoke' as const);
			if (closed) return closed;
			commonRefusal(cause, event.url);
			if (isDomainError(cause) && cause.code === 'unprocessable') {
				return fail(422, { action: 'revoke' as const, problem: 'revoke_self' as const });
			}
			throw cause;
		}
	}
};
