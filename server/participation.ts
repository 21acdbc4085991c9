import { CloseCode } from '../src/lib/protocol/close-codes.js';
import type { ConsentOrganisation, NewMeeting, NewParticipant } from '../src/lib/protocol/participants.js';
import type { AuditEvent, AuditLog } from './audit.js';
import { guestUserId, storedSessionId, type Auth } from './auth.js';
import type { LiveConnections } from './connections.js';
import type { Consent, ConsentRepository } from './consents.js';
import { DomainError, refusal } from './errors.js';
import type { InviteRefusal, InviteRepository } from './invites.js';
import type { Meeting, MeetingRepository } from './meetings.js';
import type { Participant, ParticipantRepository } from './participants.js';
import type { AbilityName } from '../src/lib/protocol/abilities.js';
import type { MeetingAccess, Policy, Principal } from './policy.js';
import { RateLimiter } from './rate-limit.js';
import { helsinkiLocalToInstant } from '../src/lib/time/helsinki.js';
import type { UserRepository } from './users.js';

/** A meeting time: an ISO timestamp with its offset, or a local `YYYY-MM-DDTHH:mm` in Helsinki time. */
function meetingInstant(value: string): string {
	const hasOffset = /(Z|[+-]\d{2}:\d{2})$/.test(value);
	const instant = hasOffset ? new Date(value) : helsinkiLocalToInstant(value.slice(0, 16));
	if (!instant || Number.isNaN(instant.getTime())) {
		throw new DomainError('invalid', 'Give the meeting time as YYYY-MM-DDTHH:mm (Helsinki time) or an ISO timestamp.', {
			issues: [{ path: 'scheduledAt', message: 'invalid' }]
		});
	}
	return instant.toISOString();
}

export interface ParticipationOptions {
	/** How long an invitation link stays valid. */
	inviteTtlMs: number;
	/** Invitation pages and joins per address in 15 minutes (default 30). */
	inviteLimitPerAddress?: number;
}

export interface InvitePreview {
	meeting: Pick<Meeting, 'id' | 'title' | 'scheduledAt' | 'place' | 'remoteLink' | 'language'>;
	participant: Pick<Participant, 'id' | 'name' | 'role' | 'organisation'>;
	consentRequired: boolean;
	/**
	 * For the client at a follow-up meeting: the scope chosen at the previous meeting, shown while the
	 * client chooses again (never pre-ticked: consent is an active choice each time).
	 */
	previousConsent: ConsentOrganisation[] | null;
}

/**
 * Meetings and who takes part in them: creating a meeting, adding and revoking participants, personal
 * invitations, joining by invitation with the client's consent. Every call is authorized by the one
 * Policy and audited.
 */
export class Participation {
	readonly #deps;
	readonly #options: ParticipationOptions;
	readonly #redeemPerAddress: RateLimiter;
	readonly #redeemPerToken = new RateLimiter({ limit: 10, windowMs: 15 * 60 * 1000 });

	constructor(
		deps: {
			meetings: MeetingRepository;
			participants: ParticipantRepository;
			invites: InviteRepository;
			consents: ConsentRepository;
			users: UserRepository;
			policy: Policy;
			audit: AuditLog;
			auth: Auth;
			connections: LiveConnections;
		},
		options: ParticipationOptions
	) {
		this.#deps = deps;
		this.#options = options;
		this.#redeemPerAddress = new RateLimiter({ limit: options.inviteLimitPerAddress ?? 30, windowMs: 15 * 60 * 1000 });
	}

	/** The access of `principal` to a meeting, or the refusal as a DomainError. */
	access(principal: Principal, meetingId: string): MeetingAccess {
		const verdict = this.#deps.policy.meeting(principal, meetingId);
		if (verdict.ok) return verdict.access;
		if (verdict.reason === 'unauthenticated') throw refusal.unauthenticated();
		if (verdict.reason === 'not_found') throw refusal.notFound();
		throw refusal.forbidden();
	}

	/** A coordinator account creates a meeting and becomes its first participant. */
	create(principal: Principal, input: NewMeeting): Meeting {
		if (principal.kind === 'anonymous') throw refusal.unauthenticated();
		if (!this.#deps.policy.isCoordinatorAccount(principal)) {
			throw new DomainError('forbidden', 'Only coordinators create meetings.');
		}
		const meeting = this.#deps.meetings.create({
			title: input.title,
			scheduledAt: input.scheduledAt ? meetingInstant(input.scheduledAt) : null,
			place: input.place,
			remoteLink: input.remoteLink,
			language: input.language,
			createdBy: principal.userId
		});
		this.#deps.participants.addCoordinator(meeting.id, principal);
		this.#deps.audit.record('meeting_created', { actor: principal, meetingId: meeting.id });
		return meeting;
	}

	/** Meetings the principal takes part in. */
	list(principal: Principal): Meeting[] {
		if (principal.kind === 'anonymous') throw refusal.unauthenticated();
		if (principal.kind === 'guest') return this.#deps.meetings.many([principal.meetingId]);
		return this.#deps.meetings.many(this.#deps.participants.meetingIdsForUser(principal.userId));
	}

	/**
	 * A meeting as its participant sees it. The read is recorded in the audit trail once it has been
	 * answered, for every meeting route alike (`AuditTrail.recordRead`, from hooks.server.ts), not here:
	 * `channel` stays for the callers' sake.
	 */
	view(principal: Principal, meetingId: string, _channel?: 'page' | 'api'): { meeting: Meeting; access: MeetingAccess } {
		const access = this.access(principal, meetingId);
		return { meeting: this.#deps.meetings.get(meetingId)!, access };
	}

	participants(principal: Principal, meetingId: string): Participant[] {
		this.access(principal, meetingId);
		return this.#deps.participants.list(meetingId);
	}

	/**
	 * Adds a participant. Guests get a personal invitation (the token is returned once, never stored);
	 * an existing account is added directly, without an invitation.
	 */
	addParticipant(
		principal: Principal,
		meetingId: string,
		input: NewParticipant
	): { participant: Participant; invite: { token: string; expiresAt: string } | null } {
		this.#require(principal, meetingId, 'manageParticipants');
		let userId: string | null = null;
		if (input.userId) {
			const user = this.#deps.users.get(input.userId);
			if (!user || user.disabled) throw new DomainError('unprocessable', 'No active account with that id.');
			const existing = this.#deps.participants.forUser(meetingId, user.id);
			if (existing && !existing.revoked) throw new DomainError('conflict', 'That account already takes part in this meeting.');
			if (existing) throw new DomainError('conflict', 'That account was removed from this meeting; it cannot be added again.');
			if (input.role === 'client') throw new DomainError('unprocessable', 'A client joins by invitation, not with an account.');
			userId = user.id;
		}
		const participant = this.#deps.participants.create({ meetingId, userId, ...input });
		const invite = userId ? null : this.#deps.invites.issue(participant.id, this.#options.inviteTtlMs);
		this.#deps.audit.record('participant_added', {
			actor: principal,
			meetingId,
			detail: { participantId: participant.id, role: participant.role, access: participant.access, account: userId !== null }
		});
		if (invite) this.#deps.audit.record('invite_issued', { actor: principal, meetingId, detail: { participantId: participant.id } });
		return { participant, invite };
	}

	/**
	 * A new link for a guest participant, beside the ones they have: earlier links keep working until
	 * the coordinator revokes them one by one (`revokeInvite`, issue #21 item 9; docs/api.md).
	 */
	reissueInvite(principal: Principal, meetingId: string, participantId: string): { id: string; token: string; expiresAt: string } {
		this.#require(principal, meetingId, 'manageParticipants');
		const participant = this.#participantOf(meetingId, participantId);
		if (participant.revoked) throw new DomainError('conflict', 'This participant was removed; add them again instead.');
		if (participant.userId) throw new DomainError('unprocessable', 'This participant signs in with an account.');
		const invite = this.#deps.invites.issue(participant.id, this.#options.inviteTtlMs);
		this.#deps.audit.record('invite_issued', { actor: principal, meetingId, detail: { participantId, reissued: true } });
		return invite;
	}

	/** A guest's links that still work (not revoked, not expired), oldest first; for the coordinator. */
	validInvites(principal: Principal, meetingId: string, participantId: string): Array<{ id: string; createdAt: string; expiresAt: string }> {
		this.#require(principal, meetingId, 'revokeParticipant');
		return this.#deps.invites.valid(this.#participantOf(meetingId, participantId).id);
	}

	/**
	 * Revokes one invitation link: it stops working, the sessions made from it end and their live
	 * connections close with 4440 (every session of the guest, when it was their last valid link).
	 * Allowed also after closing, like removing a participant: it only takes access away.
	 */
	revokeInvite(principal: Principal, meetingId: string, participantId: string, inviteId: string): void {
		this.#require(principal, meetingId, 'revokeParticipant');
		const participant = this.#participantOf(meetingId, participantId);
		const ended = this.#deps.invites.revoke(participant.id, inviteId);
		if (ended === null) throw new DomainError('not_found', 'No such valid invitation link. It may have been revoked already.');
		this.#deps.connections.closeStoredSessions(new Set(ended), CloseCode.SessionEnded, 'invitation revoked');
		this.#deps.audit.record('invite_revoked', { actor: principal, meetingId, detail: { participantId } });
	}

	/**
	 * Revokes a participant: their invitation and sessions end, and their live connections close at
	 * once, on every channel.
	 */
	async revoke(principal: Principal, meetingId: string, participantId: string): Promise<void> {
		const access = this.#require(principal, meetingId, 'revokeParticipant');
		const participant = this.#participantOf(meetingId, participantId);
		if (participant.id === access.participant.id) throw new DomainError('unprocessable', 'You cannot remove yourself.');
		if (participant.revoked) return;
		this.#deps.participants.revoke(participant.id);
		this.#deps.invites.revokeFor(participant.id);
		await this.#deps.auth.invalidateUserSessions(guestUserId(participant.id));
		this.#deps.connections.closeParticipant(participant.id, CloseCode.Forbidden, 'access revoked');
		this.#deps.audit.record('participant_revoked', { actor: principal, meetingId, detail: { participantId } });
	}

	/** What an invitation link opens, before joining; refusals name why (expired, revoked, unknown). */
	preview(token: string, address: string): InvitePreview {
		this.#throttle(token, address);
		const checked = this.#deps.invites.check(token);
		if (!checked.ok) {
			// A refused link of a known participant shows in that meeting's audit trail.
			const meetingId = checked.participantId ? (this.#deps.participants.get(checked.participantId)?.meetingId ?? null) : null;
			throw this.#inviteRefusal(checked.reason, meetingId);
		}
		const participant = this.#deps.participants.get(checked.participantId);
		if (!participant || participant.revoked) throw this.#inviteRefusal('revoked', participant?.meetingId ?? null);
		const meeting = this.#deps.meetings.get(participant.meetingId)!;
		return {
			meeting: {
				id: meeting.id,
				title: meeting.title,
				scheduledAt: meeting.scheduledAt,
				place: meeting.place,
				remoteLink: meeting.remoteLink,
				language: meeting.language
			},
			participant: { id: participant.id, name: participant.name, role: participant.role, organisation: participant.organisation },
			consentRequired: participant.role === 'client',
			previousConsent: participant.role === 'client' ? (this.#deps.consents.previous(meeting.id)?.organisations ?? null) : null
		};
	}

	/**
	 * The invitation page: what `preview` shows, recorded in the meeting's audit trail as
	 * `invite_opened`. The page shows the meeting's title, the participant's name and, to the client,
	 * the consent given before, to whoever holds the link: a link opened by someone it was not meant
	 * for is then in the trail too, not only one that was refused or redeemed.
	 */
	open(token: string, address: string): InvitePreview {
		const preview = this.preview(token, address);
		this.#deps.audit.record('invite_opened', { meetingId: preview.meeting.id, detail: { participantId: preview.participant.id } });
		return preview;
	}

	/**
	 * Joins by invitation: keeps the name the guest chose beside the coordinator's record of them, records
	 * the client's consent, and starts a guest session bound to this one meeting and participant.
	 */
	async join(
		token: string,
		input: { name: string; consent?: ConsentOrganisation[] | null },
		address: string
	): Promise<{ meetingId: string; sessionId: string }> {
		const preview = this.preview(token, address);
		const name = input.name.trim();
		if (name.length === 0 || name.length > 100) {
			throw new DomainError('invalid', 'Write the name to show, 1 to 100 characters.', {
				issues: [{ path: 'name', message: 'required' }]
			});
		}
		if (preview.consentRequired && !input.consent) {
			throw new DomainError('invalid', 'Choose what may be shared, then continue.', {
				issues: [{ path: 'consent', message: 'required' }]
			});
		}
		const participantId = preview.participant.id;
		const meetingId = preview.meeting.id;
		// The coordinator's record stays the name everyone sees and the plan records; the guest's own
		// choice is kept beside it, so choosing someone else's name impersonates nobody (issue #20 item 8).
		this.#deps.participants.setChosenName(participantId, sameName(name, preview.participant.name) ? null : name);
		const session = await this.#deps.auth.createSession(guestUserId(participantId), {});
		// The link this session comes from: revoking that link ends this session (issue #21 item 9).
		const link = this.#deps.invites.check(token);
		if (link.ok) this.#deps.invites.bindSession(storedSessionId(session.id), link.inviteId);
		const actor: Principal = { kind: 'guest', participantId, meetingId, sessionId: session.id, name: preview.participant.name };
		if (preview.consentRequired && input.consent) {
			this.#deps.consents.record({ meetingId, participantId, organisations: input.consent, recordedBy: participantId });
			this.#deps.audit.record('consent_recorded', { actor, meetingId, detail: { organisations: input.consent } });
		}
		this.#deps.audit.record('joined', { actor, meetingId });
		return { meetingId, sessionId: session.id };
	}

	/** The meeting's audit trail, for its coordinators (to show the client on request). */
	auditTrail(principal: Principal, meetingId: string): AuditEvent[] {
		this.#require(principal, meetingId, 'viewAudit');
		return this.#deps.audit.forMeeting(meetingId);
	}

	consent(principal: Principal, meetingId: string): Consent | undefined {
		this.access(principal, meetingId);
		return this.#deps.consents.latest(meetingId);
	}

	#throttle(token: string, address: string): void {
		for (const verdict of [this.#redeemPerAddress.hit(address), this.#redeemPerToken.hit(token.slice(0, 64))]) {
			if (!verdict.allowed) {
				throw new DomainError('rate_limited', `Too many attempts. Try again in ${Math.ceil(verdict.retryAfterSeconds / 60)} minutes.`, {
					retryAfterSeconds: verdict.retryAfterSeconds
				});
			}
		}
	}

	#inviteRefusal(reason: InviteRefusal, meetingId: string | null): DomainError {
		this.#deps.audit.record('invite_refused', { meetingId, detail: { reason } });
		const messages: Record<InviteRefusal, string> = {
			unknown: 'This invitation link is not valid. Check that you copied the whole link.',
			expired: 'This invitation link has expired. Ask the coordinator for a new one.',
			revoked: 'This invitation link is no longer in use. Ask the coordinator for a new one.'
		};
		return new DomainError(reason === 'unknown' ? 'not_found' : 'forbidden', messages[reason], {
			issues: [{ path: 'token', message: reason }]
		});
	}

	/** The caller's access, if the Policy grants them `ability` here now; else its refusal (403, or 409 once closed). */
	#require(principal: Principal, meetingId: string, ability: AbilityName): MeetingAccess {
		const access = this.access(principal, meetingId);
		this.#deps.policy.require(access, ability);
		return access;
	}

	#participantOf(meetingId: string, participantId: string): Participant {
		const participant = this.#deps.participants.get(participantId);
		if (!participant || participant.meetingId !== meetingId) throw refusal.notFound('Participant');
		return participant;
	}
}

/** The same name as recorded, but for case and spacing: nothing to show beside the record. */
function sameName(chosen: string, recorded: string): boolean {
	const norm = (value: string) => value.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('fi');
	return norm(chosen) === norm(recorded);
}
