/**
 * What the closing API answers (docs/api.md, "Closing"): the browser's view of the shapes that
 * server/closing.ts returns. A public contract: extend, never rename.
 */

/** What closing still needs; each is a checklist item with a link to fix it. */
export const missingForClose = ['responsible_worker', 'goal', 'client_consent'] as const;
export type MissingForClose = (typeof missingForClose)[number];

/** `GET /api/meetings/:id/close` */
export interface CloseChecklist {
	closed: boolean;
	missing: MissingForClose[];
	version: { version: number; hash: string; closedAt: string } | null;
}

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
	ratings: Array<{ goalId: string; client: number | null; worker: number | null }>;
	/** GAS T-scores over the goals that had levels and a rating; null when none. */
	tScore: { client: number | null; worker: number | null };
	workAbility: { baseline: number | null; now: number | null };
	heard: HeardAnswer | null;
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
