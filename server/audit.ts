import { createHash } from 'node:crypto';
import type { Db } from './db/database.js';
import type { Principal } from './policy.js';

/** What the audit trail records (docs/api.md lists them). Extend, never rename: trails are kept. */
export type AuditAction =
	| 'setup'
	| 'sign_in'
	| 'sign_in_failed'
	| 'sign_out'
	| 'user_created'
	| 'user_disabled'
	| 'user_enabled'
	| 'meeting_created'
	| 'meeting_viewed'
	| 'participant_added'
	| 'participant_revoked'
	| 'invite_issued'
	| 'invite_refused'
	| 'joined'
	| 'left'
	| 'consent_recorded'
	| 'export'
	| 'meeting_closed'
	| 'follow_up_created'
	| 'deleted'
	| 'audit_viewed'
	| 'audit_downloaded'
	| 'phase_changed'
	| 'hand_raised'
	| 'hand_lowered'
	| 'turn_given'
	| 'hands_cleared'
	| 'screen_pinned'
	| 'screen_unpinned'
	| 'responsible_set'
	| 'work_ability_recorded'
	| 'goal_rated'
	| 'heard_recorded'
	| 'scribe_named'
	| 'scribe_removed'
	| 'written_for'
	| 'invite_revoked'
	| 'invite_opened';

/** Every action, in the order docs/api.md lists them: the CSV and the page label each one. */
export const auditActions: readonly AuditAction[] = [
	'setup',
	'sign_in',
	'sign_in_failed',
	'sign_out',
	'user_created',
	'user_disabled',
	'user_enabled',
	'meeting_created',
	'meeting_viewed',
	'participant_added',
	'participant_revoked',
	'invite_issued',
	'invite_refused',
	'joined',
	'left',
	'consent_recorded',
	'export',
	'meeting_closed',
	'follow_up_created',
	'deleted',
	'audit_viewed',
	'audit_downloaded',
	'phase_changed',
	'hand_raised',
	'hand_lowered',
	'turn_given',
	'hands_cleared',
	'screen_pinned',
	'screen_unpinned',
	'responsible_set',
	'work_ability_recorded',
	'goal_rated',
	'heard_recorded',
	'scribe_named',
	'scribe_removed',
	'written_for',
	'invite_revoked',
	'invite_opened'
];

/**
 * Who acted, when no Principal is at hand: a live connection knows its participant, account and
 * session, not the whole Principal.
 */
export interface AuditActor {
	userId: string | null;
	participantId: string | null;
	name: string | null;
	sessionId: string | null;
}

export interface AuditEvent {
	id: number;
	at: string;
	action: AuditAction;
	meetingId: string | null;
	actorUserId: string | null;
	actorParticipantId: string | null;
	actorName: string | null;
	/** A short, one-way reference to the session (never the session id itself). */
	sessionRef: string | null;
	detail: Record<string, unknown> | null;
}

interface AuditRow {
	id: number;
	at: string;
	action: AuditAction;
	meeting_id: string | null;
	actor_user_id: string | null;
	actor_participant_id: string | null;
	actor_name: string | null;
	session_ref: string | null;
	detail: string | null;
}

export const sessionRef = (sessionId: string) => createHash('sha256').update(sessionId).digest('hex').slice(0, 12);

/**
 * The audit trail: who did what, when, from which participant and session. The coordinator can show
 * a meeting's trail to the client (the Client Data Act gives the right to know who accessed the data).
 * Details hold ids and kinds, never content.
 */
export class AuditLog {
	readonly #db: Db;
	readonly #insert;
	readonly #byMeeting;
	readonly #purgedOfPath;
	readonly #purge;
	readonly #participantOfUser;

	constructor(db: Db) {
		this.#db = db;
		this.#purgedOfPath = db.prepare<[string], { meeting_id: string }>(
			"SELECT DISTINCT meeting_id FROM audit_events WHERE action = 'deleted' AND meeting_id IS NOT NULL AND json_extract(detail, '$.path') = ?"
		);
		this.#purge = db.prepare('DELETE FROM audit_events WHERE at < ?');
		this.#participantOfUser = db.prepare<[string, string], { id: string }>('SELECT id FROM participants WHERE meeting_id = ? AND user_id = ? LIMIT 1');
		this.#insert = db.prepare(
			`INSERT INTO audit_events (at, action, meeting_id, actor_user_id, actor_participant_id, actor_name, session_ref, detail)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
		);
		this.#byMeeting = db.prepare<[string], AuditRow>('SELECT * FROM audit_events WHERE meeting_id = ? ORDER BY id');
	}

	record(
		action: AuditAction,
		options: {
			meetingId?: string | null;
			actor?: Principal | AuditActor | null;
			participantId?: string | null;
			detail?: Record<string, unknown>;
		}
	): void {
		const actor = actorOf(options.actor);
		const meetingId = options.meetingId ?? null;
		// An account acts in a meeting as its participant there: name that participant, as a guest is.
		const participantId =
			options.participantId ??
			actor?.participantId ??
			(meetingId && actor?.userId ? (this.#participantOfUser.get(meetingId, actor.userId)?.id ?? null) : null);
		this.#insert.run(
			new Date().toISOString(),
			action,
			meetingId,
			actor?.userId ?? null,
			participantId,
			actor?.name ?? null,
			actor?.sessionId ? sessionRef(actor.sessionId) : null,
			options.detail ? JSON.stringify(options.detail) : null
		);
	}

	/**
	 * The trail of a client's whole service path: its meetings' events, oldest first, also of the
	 * meetings whose content was already deleted (their `deleted` entry names the path).
	 */
	forPath(pathId: string, meetingIds: readonly string[]): AuditEvent[] {
		const purged = this.#purgedOfPath.all(pathId).map((row) => row.meeting_id);
		const ids = [...new Set([...meetingIds, ...purged])];
		if (ids.length === 0) return [];
		return this.#db
			.prepare<string[], AuditRow>(`SELECT * FROM audit_events WHERE meeting_id IN (${ids.map(() => '?').join(', ')}) ORDER BY id`)
			.all(...ids)
			.map(eventOf);
	}

	/**
	 * Deletes the audit entries older than `days` days before `now` (AUDIT_RETENTION_DAYS,
	 * docs/audit.md). Their own clock: whether the meeting's content still exists does not matter.
	 */
	purgeOlderThan(days: number, now = new Date()): number {
		const cutoff = new Date(now.getTime() - days * 24 * 60 * 60 * 1000).toISOString();
		return this.#purge.run(cutoff).changes;
	}

	forMeeting(meetingId: string): AuditEvent[] {
		return this.#byMeeting.all(meetingId).map(eventOf);
	}
}

function eventOf(row: AuditRow): AuditEvent {
	return {
		id: row.id,
		at: row.at,
		action: row.action,
		meetingId: row.meeting_id,
		actorUserId: row.actor_user_id,
		actorParticipantId: row.actor_participant_id,
		actorName: row.actor_name,
		sessionRef: row.session_ref,
		detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : null
	};
}

function actorOf(actor: Principal | AuditActor | null | undefined): AuditActor | null {
	if (!actor) return null;
	if (!('kind' in actor)) return actor;
	if (actor.kind === 'anonymous') return null;
	return {
		userId: actor.kind === 'account' ? actor.userId : null,
		participantId: actor.kind === 'guest' ? actor.participantId : null,
		name: actor.name,
		sessionId: actor.sessionId
	};
}
