import type { AccountRole } from '../src/lib/protocol/participants.js';
import type { MeetingRepository } from './meetings.js';
import type { Participant, ParticipantRepository } from './participants.js';

/** Who is asking, on any channel; resolved once from the session cookie. */
export type Principal =
	| { kind: 'anonymous' }
	| { kind: 'account'; userId: string; sessionId: string; name: string; email: string; role: AccountRole }
	| { kind: 'guest'; participantId: string; meetingId: string; sessionId: string; name: string };

/** What a principal may do in one meeting. */
export interface MeetingAccess {
	meetingId: string;
	participant: Participant;
	canEdit: boolean;
	/** Decisions (participants, phase, responsible worker, closing) are the meeting's coordinators'. */
	canDecide: boolean;
}

export type AccessVerdict =
	| { ok: true; access: MeetingAccess }
	| { ok: false; reason: 'unauthenticated' | 'not_found' | 'forbidden' };

/**
 * The one authorization policy, used by every channel: pages and form actions, the JSON API, the Yjs
 * upgrade and socket.io. Nobody sees a meeting they are not a (non-revoked) participant of.
 */
export class Policy {
	readonly #meetings: MeetingRepository;
	readonly #participants: ParticipantRepository;

	constructor(meetings: MeetingRepository, participants: ParticipantRepository) {
		this.#meetings = meetings;
		this.#participants = participants;
	}

	meeting(principal: Principal, meetingId: string): AccessVerdict {
		if (principal.kind === 'anonymous') return { ok: false, reason: 'unauthenticated' };
		if (!this.#meetings.exists(meetingId)) return { ok: false, reason: 'not_found' };
		let participant: Participant | undefined;
		if (principal.kind === 'guest') {
			if (principal.meetingId !== meetingId) return { ok: false, reason: 'forbidden' };
			participant = this.#participants.get(principal.participantId);
		} else {
			participant = this.#participants.forUser(meetingId, principal.userId);
		}
		if (!participant || participant.revoked || participant.meetingId !== meetingId) return { ok: false, reason: 'forbidden' };
		const canEdit = participant.access === 'edit';
		return {
			ok: true,
			access: { meetingId, participant, canEdit, canDecide: canEdit && participant.role === 'coordinator' }
		};
	}

	/** Creating meetings and managing accounts belong to coordinator accounts. */
	isCoordinatorAccount(principal: Principal): principal is Extract<Principal, { kind: 'account' }> {
		return principal.kind === 'account' && principal.role === 'coordinator';
	}

	isAccount(principal: Principal): principal is Extract<Principal, { kind: 'account' }> {
		return principal.kind === 'account';
	}
}
