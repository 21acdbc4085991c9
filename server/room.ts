import { isPhase, type Phase, type RaisedHand } from '../src/lib/protocol/agenda.js';
import type { AuditAction, AuditLog } from './audit.js';
import type { Db } from './db/database.js';
import { DomainError } from './errors.js';
import type { MeetingAccess, Policy } from './policy.js';

export interface RoomDecisions {
	phase: Phase;
	hands: RaisedHand[];
	speakerId: string | null;
}

/**
 * The live room's decisions, stored so that a late joiner lands in the right place: the agenda
 * phase (the coordinator's), the queue of raised hands (anyone's own hand), whose turn it is.
 * Callers pass the MeetingAccess the Policy granted; each decision asks the Policy for its ability
 * (none once the meeting is closed). `onChange` tells the realtime channel.
 */
export class Room {
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

	/** Every decision is in the audit trail (Client Data Act 703/2023): who, when, which; never content. */
	#decided(access: MeetingAccess, action: AuditAction, detail?: Record<string, unknown>): void {
		this.#audit?.record(action, { actor: access.principal, meetingId: access.meetingId, participantId: access.participant.id, detail });
		this.#onChange(access.meetingId);
	}

	decisions(meetingId: string): RoomDecisions {
		const meeting = this.#db
			.prepare<[string], { phase: string; speaker_participant_id: string | null }>(
				'SELECT phase, speaker_participant_id FROM meetings WHERE id = ?'
			)
			.get(meetingId);
		const hands = this.#db
			.prepare<[string], { participant_id: string; raised_at: string }>(
				'SELECT participant_id, raised_at FROM raised_hands WHERE meeting_id = ? ORDER BY raised_at, rowid'
			)
			.all(meetingId)
			.map((row) => ({ participantId: row.participant_id, raisedAt: row.raised_at }));
		return {
			phase: isPhase(meeting?.phase) ? meeting.phase : 'introductions',
			hands,
			speakerId: meeting?.speaker_participant_id ?? null
		};
	}

	setPhase(access: MeetingAccess, phase: unknown): void {
		this.#policy.require(access, 'movePhase');
		if (!isPhase(phase)) throw new DomainError('invalid', 'Unknown agenda phase.');
		this.#db.prepare('UPDATE meetings SET phase = ? WHERE id = ?').run(phase, access.meetingId);
		this.#decided(access, 'phase_changed', { phase });
	}

	/** Raises the caller's own hand; raising it again keeps its place in the queue. */
	raiseHand(access: MeetingAccess): void {
		this.#policy.require(access, 'raiseHand');
		this.#db
			.prepare('INSERT OR IGNORE INTO raised_hands (meeting_id, participant_id, raised_at) VALUES (?, ?, ?)')
			.run(access.meetingId, access.participant.id, new Date().toISOString());
		this.#decided(access, 'hand_raised');
	}

	/** Lowers a hand: anyone their own, the coordinator anyone's. */
	lowerHand(access: MeetingAccess, participantId = access.participant.id): void {
		this.#policy.require(access, participantId === access.participant.id ? 'raiseHand' : 'giveTurn');
		this.#db.prepare('DELETE FROM raised_hands WHERE meeting_id = ? AND participant_id = ?').run(access.meetingId, participantId);
		this.#decided(access, 'hand_lowered', participantId === access.participant.id ? undefined : { participantId });
	}

	/** The coordinator gives the turn: that hand leaves the queue and its owner speaks. */
	giveTurn(access: MeetingAccess, participantId: string | null): void {
		this.#policy.require(access, 'giveTurn');
		this.#db.transaction(() => {
			if (participantId) {
				const inMeeting = this.#db
					.prepare<[string, string], { id: string }>('SELECT id FROM participants WHERE id = ? AND meeting_id = ? AND revoked_at IS NULL')
					.get(participantId, access.meetingId);
				if (!inMeeting) throw new DomainError('unprocessable', 'That person is not a participant of this meeting.');
				this.#db.prepare('DELETE FROM raised_hands WHERE meeting_id = ? AND participant_id = ?').run(access.meetingId, participantId);
			}
			this.#db.prepare('UPDATE meetings SET speaker_participant_id = ? WHERE id = ?').run(participantId, access.meetingId);
		})();
		this.#decided(access, 'turn_given', participantId ? { participantId } : undefined);
	}

	clearHands(access: MeetingAccess): void {
		this.#policy.require(access, 'giveTurn');
		this.#db.prepare('DELETE FROM raised_hands WHERE meeting_id = ?').run(access.meetingId);
		this.#decided(access, 'hands_cleared');
	}
}
