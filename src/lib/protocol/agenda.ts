import type { ConsentScope } from './participants';

/**
 * The agenda of a network meeting (the team's handbook, DESIGN.md), in order. The phase is a
 * server decision: the coordinator moves it, everyone follows. A public contract: extend, never rename.
 */
export const phases = [
	'introductions',
	'client_voice',
	'perspectives',
	'service_map',
	'plan',
	'responsible_worker',
	'close'
] as const;
export type Phase = (typeof phases)[number];

export const isPhase = (value: unknown): value is Phase => typeof value === 'string' && (phases as readonly string[]).includes(value);

/** A raised hand in the queue, oldest first. */
export interface RaisedHand {
	participantId: string;
	raisedAt: string;
}

/** The responsible worker and follow-up as the coordinator decided them (a server decision). */
export interface ResponsibleDecision {
	participantId: string;
	contact: string;
	/** `YYYY-MM-DD` */
	followUpDate: string;
	followUpMode: 'visit' | 'call';
	decidedAt: string;
}

/** Everything live about a meeting that is not content: sent whole on every change (it is small). */
export interface RoomState {
	meetingId: string;
	phase: Phase;
	/** The queue of raised hands, in the order they were raised. */
	hands: RaisedHand[];
	/** The participant the coordinator gave the turn to, if any. */
	speakerId: string | null;
	/** Participant ids with a live socket.io connection to the meeting right now. */
	online: string[];
	/** Closed: the plan is an immutable version and every editor is read-only. */
	closed: boolean;
	/** `first`, `follow_up` or `closing` (the closing meeting of the service path). */
	kind: 'first' | 'follow_up' | 'closing';
	responsible: ResponsibleDecision | null;
	/** The client's own work ability rating 0–10 at this meeting, if recorded. */
	workAbilityScore: number | null;
	/** The client's consent in this meeting (null until given); an empty scope means "not shared". */
	consent?: ConsentScope | null;
	/**
	 * At a follow-up meeting: the previous responsible worker (as this meeting's participant), proposed
	 * for the coordinator to confirm. Not a decision: `responsible` stays null until confirmed.
	 */
	responsibleProposal?: { participantId: string; contact: string } | null;
}
