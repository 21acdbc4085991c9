/**
 * When a service path's content is deleted (docs/retention.md): part of `GET /api/meetings/:id/history`
 * and the history page. A public contract: extend, never rename.
 */
import type { HistoryEntry } from './closing.js';

/**
 * - `open`: a meeting of the path is open; the path is kept and nothing is scheduled yet.
 * - `awaiting_follow_up`: every meeting is closed and the last was not the closing meeting; the path
 *   ends at `endsAt` unless a meeting of it is opened before then.
 * - `ended`: the closing meeting closed, or the idle time after the last follow-up date passed.
 */
export const pathStates = ['open', 'awaiting_follow_up', 'ended'] as const;
export type PathState = (typeof pathStates)[number];

export interface RetentionView {
	state: PathState;
	/** ISO instant the path ended (or, awaiting a follow-up, will end); null while a meeting is open. */
	endsAt: string | null;
	/** ISO instant from which its content is deleted: `endsAt` + `retentionDays`; null while open. */
	deleteAfter: string | null;
	/** The installation's RETENTION_DAYS and PATH_IDLE_DAYS, so a reader can explain the rule. */
	retentionDays: number;
	idleDays: number;
}

/** `GET /api/meetings/:id/history` */
export interface PathHistory {
	meetings: HistoryEntry[];
	retention: RetentionView;
	/** Whether the caller is a coordinator of every meeting of the path, and so may delete it now. */
	canDeletePath: boolean;
}

/** `DELETE /api/meetings/:id/path` → 200 */
export interface PathDeleted {
	/** The ids of the meetings whose content was deleted, newest first. */
	deleted: string[];
}
