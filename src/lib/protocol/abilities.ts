/**
 * What one participant may do in one meeting, now: the named abilities that `server/policy.ts`
 * derives from the participant's role, their access (`edit`/`view`) and the meeting's state. Pages
 * receive them from the server (load functions) and show or hide controls by them; they never
 * re-derive a rule. docs/abilities.md has the whole table. A public contract: extend, never rename.
 */
export const abilityNames = [
	/** Read the meeting: the room, the plan, the summary, the service path. */
	'read',
	/** Write the meeting's content (the Yjs document): service map, goals, actions, own words… */
	'editContent',
	/** Move the agenda to another phase. */
	'movePhase',
	/** Give the turn to someone, lower someone else's hand, clear the queue of hands. */
	'giveTurn',
	/** Pin a section to the room screen for a while, and release it (docs/room-screen.md). */
	'pinScreen',
	/** Raise and lower one's own hand: asks for a turn, writes nothing. */
	'raiseHand',
	/** Name the responsible worker and the follow-up date. */
	'setResponsibleWorker',
	/** Record the client's own work ability rating (0–10). */
	'recordWorkAbility',
	/** Rate the goals at a closing meeting (GAS −2…+2), on either side. */
	'rateGoals',
	/** Rate the goals on the client's side: the client, or the coordinator recording it with them. */
	'rateGoalsAsClient',
	/** Rate the goals on the workers' side: a professional. */
	'rateGoalsAsWorker',
	/** Answer "Was I heard?": the client, or the coordinator recording it with them. */
	'answerHeard',
	/** Record or change the client's consent and its scope (the organisations it covers). */
	'recordConsent',
	/** Add participants and issue their invitation links. */
	'manageParticipants',
	/** Remove a participant: their access ends at once. Protects the client's data, so also once closed. */
	'revokeParticipant',
	/** Close the meeting with one shared plan. */
	'close',
	/** Start the follow-up or closing meeting from the closed plan. */
	'startFollowUp',
	/** Export the closed plan (PDF, plain language, FHIR, calendar, JSON). */
	'export',
	/** Read the meeting's audit trail (to show the client who accessed their data). */
	'viewAudit',
	/** Delete the meeting's content now. */
	'deleteMeeting',
	/** Write into the document in someone else's name (the scribe); reserved, nothing uses it yet. */
	'writeOnBehalf'
] as const;

export type AbilityName = (typeof abilityNames)[number];

/** Each named ability, true when the participant may do it in this meeting now. */
export type Abilities = Record<AbilityName, boolean>;

/** A meeting is open until it is closed; a deleted meeting has only its audit trail left. */
export const meetingStates = ['open', 'closed', 'deleted'] as const;
export type MeetingState = (typeof meetingStates)[number];

/** Abilities that change nothing once the meeting is closed; every other one is a decision. */
export const readingAbilities = ['read', 'export', 'viewAudit'] as const satisfies readonly AbilityName[];
