import { helsinkiLocalToInstant } from '../src/lib/time/helsinki.js';
import type { RetentionView } from '../src/lib/protocol/retention.js';
import type { Closing } from './closing.js';
import type { Db } from './db/database.js';
import { DomainError, refusal } from './errors.js';
import { helsinkiToday } from './follow-up.js';
import type { Policy, Principal } from './policy.js';

/** The two numbers of the rule (RETENTION_DAYS and PATH_IDLE_DAYS, docs/retention.md). */
export interface RetentionRule {
	retentionDays: number;
	idleDays: number;
}

/** One meeting of a path, as much as the rule needs. */
interface PathMeetingRow {
	id: string;
	path_id: string;
	kind: string;
	closed_at: string | null;
	follow_up_date: string | null;
	created_at: string;
}

const dayMs = 24 * 60 * 60 * 1000;

/** `date` (`YYYY-MM-DD`) plus `days` calendar days. */
function addDays(date: string, days: number): string {
	const at = new Date(`${date}T00:00:00Z`);
	at.setUTCDate(at.getUTCDate() + days);
	return at.toISOString().slice(0, 10);
}

/**
 * When a path of these meetings ends and when its content is deleted (docs/retention.md):
 * - while any meeting of the path is open, the path is active and nothing is scheduled;
 * - once its last closed meeting is a closing meeting (päätöstapaaminen), it ended at that close;
 * - otherwise it waits for its follow-up: if no meeting is opened by the end of the day
 *   `PATH_IDLE_DAYS` after the last follow-up date (Helsinki), it ends then.
 * Content is deleted `RETENTION_DAYS` after the end.
 */
export function pathRetention(meetings: readonly PathMeetingRow[], rule: RetentionRule, now = new Date()): RetentionView {
	const base = { retentionDays: rule.retentionDays, idleDays: rule.idleDays };
	if (meetings.length === 0 || meetings.some((m) => m.closed_at === null)) {
		return { ...base, state: 'open', endsAt: null, deleteAfter: null };
	}
	// The latest decision of the path: the meeting closed last (ISO timestamps sort as text).
	const last = meetings.reduce((a, b) => (b.closed_at! > a.closed_at! ? b : a));
	let endsAt: Date;
	let deleteAfter: Date;
	if (last.kind === 'closing') {
		endsAt = new Date(last.closed_at!);
		deleteAfter = new Date(endsAt.getTime() + rule.retentionDays * dayMs);
	} else {
		// A meeting closes only with a follow-up date, but a follow-up may have been due before the
		// meeting finally closed: the idle window never starts before the close.
		const closedDay = helsinkiToday(new Date(last.closed_at!));
		const followUp = last.follow_up_date && last.follow_up_date > closedDay ? last.follow_up_date : closedDay;
		// Calendar days in Helsinki, so both moments are midnights there, whatever daylight saving does.
		const midnightAfter = (days: number) => helsinkiLocalToInstant(`${addDays(followUp, days + 1)}T00:00`)!;
		endsAt = midnightAfter(rule.idleDays);
		deleteAfter = midnightAfter(rule.idleDays + rule.retentionDays);
	}
	return {
		...base,
		state: endsAt.getTime() <= now.getTime() ? 'ended' : 'awaiting_follow_up',
		endsAt: endsAt.toISOString(),
		deleteAfter: deleteAfter.toISOString()
	};
}

interface Deps {
	db: Db;
	closing: Closing;
	policy: Policy;
	rule: RetentionRule;
}

/**
 * Retention follows the client's service path, not each meeting (DESIGN.md, "Storage"): a first
 * meeting's content is still needed by its follow-up and closing meetings (the baseline work
 * ability, the history and the diffs), so a path's meetings are kept and deleted together.
 */
export class Retention {
	readonly #deps: Deps;

	constructor(deps: Deps) {
		this.#deps = deps;
	}

	/** The path of a meeting: its meetings' ids, oldest first; [] for an unknown meeting. */
	pathOf(meetingId: string): string[] {
		const pathId = this.#pathId(meetingId);
		return pathId === null ? [] : this.#rows(pathId).map((row) => row.id);
	}

	/** When the content of a meeting's path will be deleted. */
	forMeeting(meetingId: string, now = new Date()): RetentionView {
		const pathId = this.#pathId(meetingId);
		if (pathId === null) throw refusal.notFound();
		return pathRetention(this.#rows(pathId), this.#deps.rule, now);
	}

	/**
	 * Whether this principal may delete the whole path now: a coordinator (a decision) of every one
	 * of its meetings, so nobody deletes a meeting they could not decide in themselves.
	 */
	mayDeletePath(principal: Principal, meetingId: string): boolean {
		const ids = this.pathOf(meetingId);
		return (
			ids.length > 0 &&
			ids.every((id) => {
				const verdict = this.#deps.policy.meeting(principal, id);
				return verdict.ok && verdict.access.abilities.deleteMeeting;
			})
		);
	}

	/**
	 * Deletes the content of every meeting of the path now, the way retention does; the audit trail
	 * keeps one `deleted` entry per meeting. Returns the deleted meetings' ids.
	 */
	async deletePath(principal: Principal, meetingId: string): Promise<string[]> {
		const verdict = this.#deps.policy.meeting(principal, meetingId);
		if (!verdict.ok) {
			throw verdict.reason === 'unauthenticated' ? refusal.unauthenticated() : verdict.reason === 'not_found' ? refusal.notFound() : refusal.forbidden();
		}
		if (!this.mayDeletePath(principal, meetingId)) {
			throw new DomainError('forbidden', 'Only a coordinator of every meeting of the service path deletes the path.');
		}
		const pathId = this.#pathId(meetingId)!;
		return this.#deletePath(pathId, principal, 'coordinator');
	}

	/** Deletes the content of every path that ended more than RETENTION_DAYS ago. */
	async purgeExpired(now = new Date()): Promise<{ paths: number; meetings: number }> {
		const byPath = new Map<string, PathMeetingRow[]>();
		for (const row of this.#allRows()) {
			const rows = byPath.get(row.path_id) ?? byPath.set(row.path_id, []).get(row.path_id)!;
			rows.push(row);
		}
		let paths = 0;
		let meetings = 0;
		for (const [pathId, rows] of byPath) {
			if (!this.#expired(rows, now)) continue;
			// Asked again just before deleting: a meeting started in the meantime keeps the path.
			if (!this.#expired(this.#rows(pathId), now)) continue;
			meetings += (await this.#deletePath(pathId, null, 'retention')).length;
			paths += 1;
		}
		return { paths, meetings };
	}

	#expired(rows: PathMeetingRow[], now: Date): boolean {
		const view = pathRetention(rows, this.#deps.rule, now);
		return view.deleteAfter !== null && Date.parse(view.deleteAfter) <= now.getTime();
	}

	async #deletePath(pathId: string, actor: Principal | null, reason: 'retention' | 'coordinator'): Promise<string[]> {
		// Newest first: a meeting is never left pointing back at one already gone.
		const ids = this.#rows(pathId)
			.map((row) => row.id)
			.reverse();
		for (const id of ids) await this.#deps.closing.delete(id, actor, reason, { path: pathId });
		return ids;
	}

	/** A path is named by its first meeting's id: follow-ups carry it as `series_id` (migration 0005). */
	#pathId(meetingId: string): string | null {
		return (
			this.#deps.db
				.prepare<[string], { path_id: string }>('SELECT coalesce(series_id, id) AS path_id FROM meetings WHERE id = ?')
				.get(meetingId)?.path_id ?? null
		);
	}

	#rows(pathId: string): PathMeetingRow[] {
		return this.#deps.db
			.prepare<[string, string], PathMeetingRow>(
				`SELECT id, coalesce(series_id, id) AS path_id, kind, closed_at, follow_up_date, created_at FROM meetings
				 WHERE id = ? OR series_id = ? ORDER BY created_at, rowid`
			)
			.all(pathId, pathId);
	}

	#allRows(): PathMeetingRow[] {
		return this.#deps.db
			.prepare<[], PathMeetingRow>(
				'SELECT id, coalesce(series_id, id) AS path_id, kind, closed_at, follow_up_date, created_at FROM meetings ORDER BY created_at, rowid'
			)
			.all();
	}
}
