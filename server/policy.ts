import { abilityNames, type Abilities, type AbilityName, type MeetingState } from '../src/lib/protocol/abilities.js';
import type { Access, AccountRole, ParticipantRole } from '../src/lib/protocol/participants.js';
import { DomainError } from './errors.js';
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
	/** The participant's access level: `edit`. Static: whether the meeting is closed is in `abilities`. */
	canEdit: boolean;
	/** The meeting's coordinator with `edit` access. Static, as `canEdit`; decisions ask `abilities`. */
	canDecide: boolean;
	/** The meeting's state when the access was granted. */
	state: MeetingState;
	/** What this participant may do now (see `abilitiesOf`, docs/abilities.md). */
	abilities: Abilities;
	/** Who was granted it: decisions name them, and their session, in the audit trail. */
	principal?: Principal;
}

export type AccessVerdict =
	| { ok: true; access: MeetingAccess }
	| { ok: false; reason: 'unauthenticated' | 'not_found' | 'forbidden' };

const none = (): Abilities => Object.fromEntries(abilityNames.map((name) => [name, false])) as Abilities;

/**
 * The rules, in one place: what a participant of `role` with `access` may do in a meeting in `state`.
 * A pure function; docs/abilities.md is its table, and tests/integration/abilities.test.ts asserts
 * every cell of it.
 *
 * - `view` access reads everything and decides nothing, on any channel. The only thing it may do
 *   besides reading is to raise its own hand: that asks for a turn and writes nothing.
 * - The meeting's coordinator (with `edit`) makes the meeting's decisions.
 * - The client's own answers (work ability, "Was I heard?", the client's side of goal ratings) are
 *   the client's, with `edit` access; the coordinator may record them with the client, as the
 *   handbook's closing meeting does on paper. Goal ratings follow one rule for both sides: a side
 *   rates for itself (the client as `client`, a professional — any other role — as `worker`), with
 *   `edit` access, and the coordinator, being a professional who records with the client, may rate
 *   on both.
 * - Once closed, the plan is an immutable, hashed version: every ability that could change the
 *   meeting is false. What stays is reading, exporting and the audit trail, plus three that act on
 *   the meeting from outside and never change its plan: starting the follow-up meeting (a new
 *   meeting), removing a participant (ends their access to the client's data) and deleting.
 * - A deleted meeting (or no such meeting) allows nothing; its audit trail is the coordinator
 *   account's, not a participant's.
 */
export function abilitiesOf(role: ParticipantRole, access: Access, state: MeetingState): Abilities {
	const abilities = none();
	if (state === 'deleted') return abilities;
	const edit = access === 'edit';
	const coordinator = edit && role === 'coordinator';
	const client = edit && role === 'client';
	abilities.read = true;
	abilities.viewAudit = coordinator;
	abilities.revokeParticipant = coordinator;
	abilities.deleteMeeting = coordinator;
	if (state === 'closed') {
		abilities.export = true;
		abilities.startFollowUp = coordinator;
		return abilities;
	}
	abilities.editContent = edit;
	abilities.raiseHand = true;
	abilities.movePhase = coordinator;
	abilities.giveTurn = coordinator;
	abilities.pinScreen = coordinator;
	abilities.setResponsibleWorker = coordinator;
	abilities.recordWorkAbility = coordinator || client;
	abilities.answerHeard = coordinator || client;
	abilities.recordConsent = coordinator || client;
	abilities.rateGoalsAsClient = coordinator || client;
	abilities.rateGoalsAsWorker = edit && role !== 'client';
	abilities.rateGoals = abilities.rateGoalsAsClient || abilities.rateGoalsAsWorker;
	abilities.manageParticipants = coordinator;
	abilities.close = coordinator;
	abilities.writeOnBehalf = coordinator;
	return abilities;
}

/**
 * A participant's abilities: `abilitiesOf` their role, access and the meeting's state, plus what the
 * coordinator granted them by name. A named scribe (issue #21 item 2) writes on someone's behalf while
 * they may write at all (edit access, meeting open); the coordinator always may.
 */
export function abilitiesOfParticipant(participant: Pick<Participant, 'role' | 'access' | 'scribe'>, state: MeetingState): Abilities {
	const abilities = abilitiesOf(participant.role, participant.access, state);
	if (participant.scribe && abilities.editContent) abilities.writeOnBehalf = true;
	return abilities;
}

/** What each ability's refusal says to someone who never has it (403). English: pages localize by code. */
const forbiddenMessages: Record<AbilityName, string> = {
	read: 'You do not have access to this meeting.',
	editContent: 'You can read this meeting but not write in it.',
	movePhase: "Only the meeting's coordinator can do this.",
	giveTurn: "Only the meeting's coordinator can do this.",
	pinScreen: "Only the meeting's coordinator chooses what the room screen shows.",
	raiseHand: 'You do not have access to this meeting.',
	setResponsibleWorker: "Only the meeting's coordinator names the responsible worker.",
	recordWorkAbility: 'The client or the coordinator records the work ability rating.',
	rateGoals: 'You cannot rate the goals of this meeting.',
	rateGoalsAsClient: "The client or the coordinator gives the client's rating.",
	rateGoalsAsWorker: "A professional with edit access gives the workers' rating.",
	answerHeard: 'The client or the coordinator answers "Was I heard?".',
	recordConsent: 'The client, or the coordinator with the client, records the consent.',
	manageParticipants: "Only the meeting's coordinator can do this.",
	revokeParticipant: "Only the meeting's coordinator can do this.",
	close: "Only the meeting's coordinator closes the meeting.",
	startFollowUp: "Only the meeting's coordinator starts the next meeting.",
	export: 'You do not have access to this meeting.',
	viewAudit: "Only the meeting's coordinator can do this.",
	deleteMeeting: "Only the meeting's coordinator deletes the meeting.",
	writeOnBehalf: "Only the meeting's coordinator or a scribe they named writes on someone's behalf."
};

/** The refusal of every decision once the meeting is closed (409; docs/api.md, docs/abilities.md). */
export const meetingClosedMessage = 'The meeting is closed: its plan is final and nothing in it can change any more.';

/** What an ability that needs a closed meeting says while it is still open (409). */
const notClosedYetMessages: Partial<Record<AbilityName, string>> = {
	export: 'The meeting is not closed yet. Exports are made from the closed plan: the coordinator closes the meeting first.',
	startFollowUp: 'Close this meeting first; the next one starts from its plan.'
};

/**
 * The refusal of `name` to a participant who lacks it in `state`: 409 when the meeting's state is the
 * reason (closed already, or not closed yet), 403 when the participant's role or access is.
 */
export function refusalOf(role: ParticipantRole, access: Access, state: MeetingState, name: AbilityName): DomainError {
	if (state === 'closed' && abilitiesOf(role, access, 'open')[name]) {
		return new DomainError('conflict', meetingClosedMessage, { reason: 'meeting_closed' });
	}
	if (state === 'open' && abilitiesOf(role, access, 'closed')[name]) {
		return new DomainError('conflict', notClosedYetMessages[name] ?? 'Close the meeting first.', { reason: 'meeting_not_closed' });
	}
	if (state === 'deleted') return new DomainError('not_found', 'Meeting not found. Check the link.');
	return new DomainError('forbidden', forbiddenMessages[name]);
}

/**
 * The one authorization policy, used by every channel: pages and form actions, the JSON API, the Yjs
 * upgrade and socket.io. Nobody sees a meeting they are not a (non-revoked) participant of, and what a
 * participant may do there is `abilitiesOf` their role, access and the meeting's state.
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
		const state = this.#meetings.stateOf(meetingId);
		if (state === 'deleted') return { ok: false, reason: 'not_found' };
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
			access: {
				meetingId,
				participant,
				canEdit,
				canDecide: canEdit && participant.role === 'coordinator',
				state,
				abilities: abilitiesOfParticipant(participant, state),
				principal
			}
		};
	}

	/**
	 * Asks for one ability at the moment of acting, with the meeting's state read now: an access
	 * granted before the meeting closed must not let a decision through after it (the room's socket
	 * and a long-lived request both hold one). Throws the refusal (403, or 409 when the meeting's
	 * state is the reason); returns the abilities as they are now.
	 */
	require(access: MeetingAccess, name: AbilityName): Abilities {
		const state = this.#meetings.stateOf(access.meetingId);
		const abilities = state === access.state ? access.abilities : abilitiesOfParticipant(access.participant, state);
		if (!abilities[name]) throw refusalOf(access.participant.role, access.participant.access, state, name);
		return abilities;
	}

	/** Creating meetings and managing accounts belong to coordinator accounts. */
	isCoordinatorAccount(principal: Principal): principal is Extract<Principal, { kind: 'account' }> {
		return principal.kind === 'account' && principal.role === 'coordinator';
	}
}
