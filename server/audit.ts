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
	| 'deleted';

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
	readonly #insert;
	readonly #byMeeting;

	constructor(db: Db) {
		this.#insert = db.prepare(
			`INSERT INTO audit_events (at, action, meeting_id, actor_user_id, actor_participant_id, actor_name, session_ref, detail)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
		);
		this.#byMeeting = db.prepare<[string], AuditRow>('SELECT * FROM audit_events WHERE meeting_id = ? ORDER BY id');
	}

	record(
		action: AuditAction,
		options: { meetingId?: string | null; actor?: Principal | null; participantId?: string | null; detail?: Record<string, unknown> }
	): void {
		const actor = options.actor;
		const known = actor && actor.kind !== 'anonymous' ? actor : null;
		this.#insert.run(
			new Date().toISOString(),
			action,
			options.meetingId ?? null,
			known?.kind === 'account' ? known.userId : null,
			options.participantId ?? (known?.kind === 'guest' ? known.participantId : null),
			known?.name ?? null,
			known ? sessionRef(known.sessionId) : null,
			options.detail ? JSON.stringify(options.detail) : null
		);
	}

	forMeeting(meetingId: string): AuditEvent[] {
		return this.#byMeeting.all(meetingId).map((row) => ({
			id: row.id,
			at: row.at,
			action: row.action,
			meetingId: row.meeting_id,
			actorUserId: row.actor_user_id,
			actorParticipantId: row.actor_participant_id,
			actorName: row.actor_name,
			sessionRef: row.session_ref,
			detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : null
		}));
	}
}
