/**
 * What the closing API answers (docs/api.md, "Closing"): the browser's view of the shapes that
 * server/closing.ts returns. A public contract: extend, never rename.
 */

import * as v from 'valibot';
import type { ConsentScope } from './participants';

/** What closing still needs; each is a checklist item with a link to fix it. */
export const missingForClose = ['responsible_worker', 'goal', 'client_consent'] as const;
export type MissingForClose = (typeof missingForClose)[number];

/** An action without an owner or a due date: closing with it needs the coordinator's confirmation. */
export interface IncompleteAction {
	id: string;
	number: number;
	text: string;
	missing: Array<'owner' | 'due'>;
}

/** `GET /api/meetings/:id/close` */
export interface CloseChecklist {
	closed: boolean;
	missing: MissingForClose[];
	version: { version: number; hash: string; closedAt: string } | null;
	/** This meeting's consent; `organisations: []` is "not shared" (recorded, but nothing is shared). */
	consent?: ConsentScope | null;
	/** At a follow-up meeting: the previous meeting's scope, shown while the client is asked again. */
	previousConsent?: ConsentScope | null;
	incompleteActions?: IncompleteAction[];
}

/** `POST /api/meetings/:id/close` body (optional; an empty body is `{}`). */
export const CloseRequest = v.object({
	/** Close although some actions have no owner or no due date (409 `incompleteActions` without it). */
	confirmIncompleteActions: v.optional(v.boolean(), false)
});

/** `POST /api/meetings/:id/close` → 200 */
export interface ClosedVersion {
	version: number;
	hash: string;
	closedAt: string;
}

export type HeardAnswer = 'yes' | 'partly' | 'no';
export const heardAnswers = ['yes', 'partly', 'no'] as const satisfies readonly HeardAnswer[];

/** `GET /api/meetings/:id/evaluation`: the closing meeting's evaluation. */
export interface EvaluationView {
	/** `clientRecordedBy`: present only when someone other than the client recorded the client's side (the scribe). */
	ratings: Array<{ goalId: string; client: number | null; worker: number | null; clientRecordedBy?: RecordedBy }>;
	/** GAS T-scores over the goals that had levels and a rating; null when none. */
	tScore: { client: number | null; worker: number | null };
	/** `recordedBy`: present only when someone other than the client recorded this meeting's rating. */
	workAbility: { baseline: number | null; now: number | null; recordedBy?: RecordedBy };
	heard: HeardAnswer | null;
	/** Present only when someone other than the client recorded "Was I heard?" with them. */
	heardRecordedBy?: RecordedBy;
}

/** Who recorded a client's answer with them (issue #21 item 2): "Recorded by X for <client>". */
export interface RecordedBy {
	participantId: string;
	name: string | null;
}

/** `GET /api/meetings/:id/history` */
export interface HistoryEntry {
	id: string;
	title: string;
	scheduledAt: string | null;
	kind: 'first' | 'follow_up' | 'closing';
	version: number | null;
	hash: string | null;
	accessible: boolean;
}

/** `POST /api/meetings/:id/evaluation`: one goal's rating on one side, or the answer to "Was I heard?". */
export const EvaluationInput = v.union([
	v.object({ goalId: v.pipe(v.string(), v.maxLength(64)), rater: v.picklist(['client', 'worker']), rating: v.number() }),
	v.object({ heard: v.picklist(heardAnswers) })
]);
export type EvaluationInput = v.InferInput<typeof EvaluationInput>;

/** `POST /api/meetings/:id/follow-up`: the next meeting of the service path, from this closed one's plan. */
export const FollowUpRequest = v.object({
	kind: v.optional(v.picklist(['follow_up', 'closing']), 'follow_up'),
	title: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)),
	scheduledAt: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(40), v.isoTimestamp())), null)
});
export type FollowUpRequest = v.InferInput<typeof FollowUpRequest>;

/** `POST /api/meetings/:id/follow-up` → 201: the new meeting, and each participant's new invitation. */
export interface FollowUpStarted {
	id: string;
	invites: Array<{ participantId: string; inviteUrl: string; expiresAt: string }>;
}
