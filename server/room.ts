import { isPhase, type Phase, type RaisedHand } from '../src/lib/protocol/agenda.js';
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

	constructor(db: Db, policy: Pick<Policy, 'require'>, onChange: (meetingId: string) => void) {
		this.#db = db;
		this.#policy = policy;
		this.#onChange = onChange;
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
		this.#onChange(access.meetingId);
	}

	/** Raises the caller's own hand; raising it again keeps its place in the queue. */
	raiseHand(access: MeetingAccess): void {
		this.#policy.require(access, 'raiseHand');
		this.#db
			.prepare('INSERT OR IGNORE INTO raised_hands (meeting_id, participant_id, raised_at) VALUES (?, ?, ?)')
			.run(access.meetingId, access.participant.id, new Date().toISOString());
		this.#onChange(access.meetingId);
	}

	/** Lowers a hand: anyone their own, the coordinator anyone's. */
	lowerHand(access: MeetingAccess, participantId = access.participant.id): void {
		this.#policy.require(access, participantId === access.participant.id ? 'raiseHand' : 'giveTurn');
		this.#db.prepare('DELETE FROM raised_hands WHERE meeting_id = ? AND participant_id = ?').run(access.meetingId, participantId);
		this.#onChange(access.meetingId);
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
		this.#onChange(access.meetingId);
	}

	clearHands(access: MeetingAccess): void {
		this.#policy.require(access, 'giveTurn');
		this.#db.prepare('DELETE FROM raised_hands WHERE meeting_id = ?').run(access.meetingId);
		this.#onChange(access.meetingId);
	}
}
