import { isPhase, screenPinMinutes, type Phase, type RaisedHand, type ScreenPin } from '../src/lib/protocol/agenda.js';
import type { AuditAction, AuditLog } from './audit.js';
import type { Db } from './db/database.js';
import { DomainError } from './errors.js';
import type { MeetingAccess, Policy } from './policy.js';

export interface RoomDecisions {
	phase: Phase;
	hands: RaisedHand[];
	speakerId: string | null;
	pinned: ScreenPin | null;
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
	/**
	 * Pins to the room screen, by meeting, each with the timer that ends it. In memory on purpose: a
	 * pin is "for a while" (docs/room-screen.md), so a restart ending it early harms nothing.
	 */
	readonly #pins = new Map<string, { pin: ScreenPin; timer: ReturnType<typeof setTimeout> }>();

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
			speakerId: meeting?.speaker_participant_id ?? null,
			pinned: this.#pins.get(meetingId)?.pin ?? null
		};
	}

	/**
	 * The coordinator pins a phase's work to the room screen for `screenPinMinutes`, or releases the
	 * pin (`section` null). Pinning again replaces the pin and restarts its time. A phase change
	 * keeps the pin: the coordinator pinned it to keep something in view while the meeting moves on.
	 */
	pinScreen(access: MeetingAccess, section: unknown, now = new Date()): void {
		this.#policy.require(access, 'pinScreen');
		if (section !== null && !isPhase(section)) throw new DomainError('invalid', 'Unknown screen section.');
		const previous = this.#pins.get(access.meetingId);
		if (previous) clearTimeout(previous.timer);
		this.#pins.delete(access.meetingId);
		if (section === null) {
			// Releasing nothing is not a decision: nothing to record or broadcast.
			if (previous) this.#decided(access, 'screen_unpinned');
			return;
		}
		const until = now.getTime() + screenPinMinutes * 60_000;
		const pin: ScreenPin = { section, until: new Date(until).toISOString() };
		const timer = setTimeout(() => {
			if (this.#pins.get(access.meetingId)?.pin !== pin) return;
			this.#pins.delete(access.meetingId);
			this.#onChange(access.meetingId);
		}, Math.max(0, until - Date.now()));
		// A pending pin must not keep the process (or a test run) alive.
		timer.unref?.();
		this.#pins.set(access.meetingId, { pin, timer });
		this.#decided(access, 'screen_pinned', { phase: section });
	}

	/** Ends every pin's timer (the App's `close()`). */
	close(): void {
		for (const { timer } of this.#pins.values()) clearTimeout(timer);
		this.#pins.clear();
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
