import * as v from 'valibot';
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

/** A perspective written by one participant (`writerId`) for another (`participantId`): the scribe. */
/** A goal a scribe created in "write for" mode (issue #21 item 2): written by `writerId` for `participantId`. */
export interface GoalWrittenFor {
	goalId: string;
	writerId: string;
	participantId: string;
}

export interface WrittenFor {
	writerId: string;
	participantId: string;
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

/**
 * What the coordinator pinned to the room screen (docs/room-screen.md): the screen shows that phase's
 * work instead of the current phase's until `until` (server time, ISO) or until released. Kept in
 * the server's memory only: a pin is "for a while", and a restart ends it.
 */
export interface ScreenPin {
	section: Phase;
	/** ISO timestamp (server clock) when the pin ends by itself. */
	until: string;
}

/** How long a pin lasts unless released earlier. */
export const screenPinMinutes = 10;

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
	/** Who recorded that rating for the client, when it was not the client (a participant id; issue #21). */
	workAbilityRecordedBy?: string | null;
	/** The client's consent in this meeting (null until given); an empty scope means "not shared". */
	consent?: ConsentScope | null;
	/**
	 * At a follow-up meeting: the previous responsible worker (as this meeting's participant), proposed
	 * for the coordinator to confirm. Not a decision: `responsible` stays null until confirmed.
	 */
	responsibleProposal?: { participantId: string; contact: string } | null;
	/** The section pinned to the room screen, or null (docs/room-screen.md). */
	pinned?: ScreenPin | null;
	/** Participants the coordinator named scribe (issue #21): they may write for others. */
	scribes?: string[];
	/** Who wrote in whose perspective, as the server saw it (never as a client claims). */
	writtenFor?: WrittenFor[];
	/** Goals a scribe wrote for someone in "write for" mode, as the server saw it. */
	goalsWrittenFor?: GoalWrittenFor[];
}

/**
 * `PUT /api/meetings/:id/phase` → 200 `{phase}`. Only bounded here: the room (server/room.ts) checks
 * the phase against `phases` and answers an unknown one with 400 `invalid`.
 */
export const PhaseChange = v.object({ phase: v.pipe(v.string(), v.maxLength(64)) });
export type PhaseChange = v.InferInput<typeof PhaseChange>;

/**
 * `PUT /api/meetings/:id/responsible`: bounded here, judged by server/follow-up.ts, which answers 422
 * with an issue per refused field (an unknown participant, a date outside the follow-up window…).
 */
export const ResponsibleChange = v.object({
	participantId: v.pipe(v.string(), v.maxLength(64)),
	followUpDate: v.pipe(v.string(), v.maxLength(10)),
	followUpMode: v.pipe(v.string(), v.maxLength(10)),
	contact: v.pipe(v.string(), v.maxLength(500))
});
export type ResponsibleChange = v.InferInput<typeof ResponsibleChange>;

/**
 * `PUT /api/meetings/:id/work-ability` `{score}` → 200 `{score}`: any JSON value reaches
 * server/follow-up.ts, which accepts a whole number 0–10 and answers anything else with 422.
 */
export const WorkAbilityChange = v.object({ score: v.unknown() });
export interface WorkAbilityChange {
	score: number;
}
