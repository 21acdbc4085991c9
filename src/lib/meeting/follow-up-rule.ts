import { addMonths, helsinkiDay, isCalendarDate } from '../time/calendar';

/**
 * The handbook's rule for the follow-up date: at the latest three months after the meeting, never in
 * the past. One home for it: the server's check (server/follow-up.ts) and the coordinator's form
 * (ResponsibleWorker.svelte) both ask this module, so the date the form offers is the date the
 * server accepts.
 */
export const followUpMonths = 3;

/** The days a follow-up may fall on, `YYYY-MM-DD`, and the date the form suggests. */
export interface FollowUpWindow {
	/** Today in Helsinki: no follow-up in the past. */
	earliest: string;
	/** Three months after the meeting day, or after today when the meeting day has passed. */
	latest: string;
	/** Two months after the same start: a date well inside the window. */
	suggestion: string;
}

/**
 * The window for a meeting scheduled at `scheduledAt` (an instant; null when not set, then the
 * meeting counts as today), as seen at `now`. Days are Helsinki calendar days.
 */
export function followUpWindow(scheduledAt: string | Date | null, now: Date = new Date()): FollowUpWindow {
	const today = helsinkiDay(now);
	const meetingDay = scheduledAt ? helsinkiDay(new Date(scheduledAt)) : today;
	const start = meetingDay < today ? today : meetingDay;
	return { earliest: today, latest: addMonths(start, followUpMonths), suggestion: addMonths(start, 2) };
}

/** What is wrong with a proposed follow-up date, or null when it keeps the rule. */
export type FollowUpDateProblem = 'format' | 'past' | 'late';

export function followUpDateProblem(date: string, window: FollowUpWindow): FollowUpDateProblem | null {
	if (!isCalendarDate(date)) return 'format';
	if (date < window.earliest) return 'past';
	if (date > window.latest) return 'late';
	return null;
}
