import type { AuditLog } from './audit.js';
import type { Db } from './db/database.js';
import { DomainError } from './errors.js';
import type { MeetingAccess, Policy } from './policy.js';
import { followUpDateProblem, followUpWindow } from '../src/lib/meeting/follow-up-rule.js';

export const followUpModes = ['visit', 'call'] as const;
export type FollowUpMode = (typeof followUpModes)[number];

/** The responsible worker (vastuutyöntekijä) and the follow-up, as the coordinator decided them. */
export interface ResponsibleWorker {
	participantId: string;
	contact: string;
	followUpDate: string;
	followUpMode: FollowUpMode;
	decidedAt: string;
}

export interface ResponsibleInput {
	participantId: string;
	followUpDate: string;
	followUpMode: string;
	contact: string;
}

/** Today's date in Helsinki (the day of `now`), `YYYY-MM-DD`: dates of the plan are Finnish calendar dates. */
export { addMonths, helsinkiDay as helsinkiToday } from '../src/lib/time/calendar.js';

/**
 * The responsible worker and the follow-up: a server decision of the meeting's coordinator, validated
 * against the meeting's participants and the handbook's rule (follow-up at the latest in three months).
 */
export class FollowUp {
	readonly #db: Db;
	readonly #policy: Pick<Policy, 'require'>;
	readonly #onChange: (meetingId: string) => void;
	readonly #audit: Pick<AuditLog, 'record'> | undefined;

	constructor(db: Db, policy: Pick<Policy, 'require'>, onChange: (meetingId: string) => void, audit?: Pick<AuditLog, 'record'>) {
		this.#db = db;
		this.#policy = policy;
		this.#onChange = onChange;
		this.#audit = audit;
	}

	get(meetingId: string): ResponsibleWorker | null {
		const row = this.#db
			.prepare<
				[string],
				{
					responsible_participant_id: string | null;
					responsible_contact: string | null;
					follow_up_date: string | null;
					follow_up_mode: string | null;
					responsible_decided_at: string | null;
				}
			>(
				'SELECT responsible_participant_id, responsible_contact, follow_up_date, follow_up_mode, responsible_decided_at FROM meetings WHERE id = ?'
			)
			.get(meetingId);
		if (!row?.responsible_participant_id || !row.follow_up_date) return null;
		return {
			participantId: row.responsible_participant_id,
			contact: row.responsible_contact ?? '',
			followUpDate: row.follow_up_date,
			followUpMode: row.follow_up_mode === 'call' ? 'call' : 'visit',
			decidedAt: row.responsible_decided_at ?? ''
		};
	}

	/** Names the responsible worker; refusals say exactly what to fix (422). */
	set(access: MeetingAccess, input: ResponsibleInput, now = new Date()): ResponsibleWorker {
		this.#policy.require(access, 'setResponsibleWorker');
		const unprocessable = (path: string, message: string) =>
			new DomainError('unprocessable', message, { issues: [{ path, message }] });

		const participant = this.#db
			.prepare<[string, string], { role: string; revoked_at: string | null }>(
				'SELECT role, revoked_at FROM participants WHERE id = ? AND meeting_id = ?'
			)
			.get(input.participantId, access.meetingId);
		if (!participant || participant.revoked_at !== null) {
			throw unprocessable('participantId', 'The responsible worker must be a participant of this meeting.');
		}
		if (participant.role === 'client') {
			throw unprocessable('participantId', 'The client cannot be the responsible worker; choose a professional.');
		}
		if (!(followUpModes as readonly string[]).includes(input.followUpMode)) {
			throw unprocessable('followUpMode', 'Choose whether the follow-up is a visit or a call.');
		}
		const contact = input.contact.trim();
		if (contact.length === 0 || contact.length > 200) {
			throw unprocessable('contact', "Give the responsible worker's contact details (phone or email), at most 200 characters.");
		}
		const window = followUpWindow(this.#scheduledAt(access.meetingId), now);
		const problem = followUpDateProblem(input.followUpDate, window);
		if (problem === 'format') throw unprocessable('followUpDate', 'Give the follow-up date as YYYY-MM-DD.');
		if (problem === 'past') throw unprocessable('followUpDate', 'The follow-up date is in the past; choose today or a later day.');
		if (problem === 'late') {
			throw unprocessable('followUpDate', `The follow-up must be at the latest three months after the meeting, by ${window.latest}.`);
		}

		const decision: ResponsibleWorker = {
			participantId: input.participantId,
			contact,
			followUpDate: input.followUpDate,
			followUpMode: input.followUpMode as FollowUpMode,
			decidedAt: now.toISOString()
		};
		this.#db
			.prepare(
				`UPDATE meetings SET responsible_participant_id = ?, responsible_contact = ?, follow_up_date = ?, follow_up_mode = ?,
				 responsible_decided_at = ? WHERE id = ?`
			)
			.run(decision.participantId, decision.contact, decision.followUpDate, decision.followUpMode, decision.decidedAt, access.meetingId);
		// Ids and kinds only: the date and the contact are the plan's content.
		this.#audit?.record('responsible_set', {
			actor: access.principal,
			meetingId: access.meetingId,
			participantId: access.participant.id,
			detail: { responsible: decision.participantId, followUpMode: decision.followUpMode }
		});
		this.#onChange(access.meetingId);
		return decision;
	}

	/** The client's own work ability rating, 0–10; the client themself (with edit access) or the coordinator records it. */
	setWorkAbility(access: MeetingAccess, score: unknown, now = new Date()): number {
		this.#policy.require(access, 'recordWorkAbility');
		if (typeof score !== 'number' || !Number.isInteger(score) || score < 0 || score > 10) {
			throw new DomainError('unprocessable', 'The rating is a whole number from 0 to 10.', { issues: [{ path: 'score', message: '0–10' }] });
		}
		this.#db
			.prepare(
				`INSERT INTO work_ability_scores (meeting_id, score, recorded_at, recorded_by) VALUES (?, ?, ?, ?)
				 ON CONFLICT (meeting_id) DO UPDATE SET score = excluded.score, recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by`
			)
			.run(access.meetingId, score, now.toISOString(), access.participant.id);
		// Never the score: it is the client's health information. The client as the subject when
		// someone else (the coordinator) recorded it with them (issue #21 item 2).
		const subject =
			access.participant.role === 'client'
				? null
				: (this.#db
						.prepare<[string], { id: string }>(
							"SELECT id FROM participants WHERE meeting_id = ? AND role = 'client' AND revoked_at IS NULL ORDER BY created_at, rowid LIMIT 1"
						)
						.get(access.meetingId)?.id ?? null);
		this.#audit?.record('work_ability_recorded', {
			actor: access.principal,
			meetingId: access.meetingId,
			participantId: access.participant.id,
			...(subject ? { detail: { subject } } : {})
		});
		this.#onChange(access.meetingId);
		return score;
	}

	/**
	 * The responsible worker proposed for a follow-up meeting (the previous meeting's, as a participant
	 * of this one): shown to the coordinator to confirm, never counted as the decision.
	 */
	proposal(meetingId: string): { participantId: string; contact: string } | null {
		const row = this.#db
			.prepare<[string], { id: string | null; contact: string | null }>(
				'SELECT proposed_responsible_participant_id AS id, proposed_responsible_contact AS contact FROM meetings WHERE id = ?'
			)
			.get(meetingId);
		return row?.id ? { participantId: row.id, contact: row.contact ?? '' } : null;
	}

	propose(meetingId: string, proposal: { participantId: string; contact: string }): void {
		this.#db
			.prepare('UPDATE meetings SET proposed_responsible_participant_id = ?, proposed_responsible_contact = ? WHERE id = ?')
			.run(proposal.participantId, proposal.contact, meetingId);
	}

	workAbility(meetingId: string): { score: number; recordedAt: string; recordedBy: string } | null {
		const row = this.#db
			.prepare<[string], { score: number; recorded_at: string; recorded_by: string }>(
				'SELECT score, recorded_at, recorded_by FROM work_ability_scores WHERE meeting_id = ?'
			)
			.get(meetingId);
		return row ? { score: row.score, recordedAt: row.recorded_at, recordedBy: row.recorded_by } : null;
	}

	#scheduledAt(meetingId: string): string | null {
		return this.#db.prepare<[string], { scheduled_at: string | null }>('SELECT scheduled_at FROM meetings WHERE id = ?').get(meetingId)?.scheduled_at ?? null;
	}
}
