import { CloseCode } from '../src/lib/protocol/close-codes.js';
import type { GoalWrittenFor, WrittenFor } from '../src/lib/protocol/agenda.js';
import type { AuditLog } from './audit.js';
import type { Db } from './db/database.js';
import { DomainError } from './errors.js';
import type { MeetingRepository } from './meetings.js';
import type { ParticipantRepository } from './participants.js';
import { abilitiesOfParticipant, type MeetingAccess, type Policy } from './policy.js';
import { ProtocolError } from './yjs/messages.js';
import type { WrittenForPolicy } from './yjs/write-batch.js';

export interface ScribeDeps {
	db: Db;
	meetings: Pick<MeetingRepository, 'stateOf'>;
	participants: ParticipantRepository;
	policy: Pick<Policy, 'require'>;
	audit: Pick<AuditLog, 'record'>;
	onChange(meetingId: string): void;
}

/**
 * The scribe (issue #21 item 2): the coordinator, and anyone the coordinator names scribe, writes a
 * perspective on another participant's behalf. Who wrote for whom is decided here from the writer's
 * own connection (server/yjs/write-batch.ts asks `check` before storing an update that writes in
 * another participant's `perspective:<id>`, and tells `written` after), never from anything in the
 * document: the document layout has no author field, and a client could write any.
 */
export class Scribes implements WrittenForPolicy {
	readonly #deps: ScribeDeps;
	readonly #insert;
	readonly #touch;
	readonly #list;
	readonly #insertGoal;
	readonly #listGoals;
	/** `meetingId \0 writerId` → whom their new goals are for, and the connection that said so. */
	readonly #writingFor = new Map<string, { participantId: string; connection: string }>();

	constructor(deps: ScribeDeps) {
		this.#deps = deps;
		this.#insert = deps.db.prepare(
			'INSERT OR IGNORE INTO written_for (meeting_id, writer_id, target_id, first_at, last_at) VALUES (?, ?, ?, ?, ?)'
		);
		this.#touch = deps.db.prepare('UPDATE written_for SET last_at = ? WHERE meeting_id = ? AND writer_id = ? AND target_id = ?');
		this.#insertGoal = deps.db.prepare(
			'INSERT OR IGNORE INTO goals_written_for (meeting_id, goal_id, writer_id, target_id, at) VALUES (?, ?, ?, ?, ?)'
		);
		this.#listGoals = deps.db.prepare<[string], { goal_id: string; writer_id: string; target_id: string }>(
			'SELECT goal_id, writer_id, target_id FROM goals_written_for WHERE meeting_id = ? ORDER BY at, rowid'
		);
		this.#list = deps.db.prepare<[string], { writer_id: string; target_id: string }>(
			'SELECT writer_id, target_id FROM written_for WHERE meeting_id = ? ORDER BY first_at, rowid'
		);
	}

	/** Refuses (4403, nothing stored) an update writing in someone else's perspective by a writer who may not. */
	check(meetingId: string, writerId: string, targets: ReadonlySet<string>, unknown: boolean): void {
		const writer = this.#deps.participants.get(writerId);
		const allowed =
			writer !== undefined &&
			!writer.revoked &&
			writer.meetingId === meetingId &&
			abilitiesOfParticipant(writer, this.#deps.meetings.stateOf(meetingId)).writeOnBehalf;
		if (allowed) return;
		throw new ProtocolError(
			CloseCode.Forbidden,
			unknown && targets.size === 0 ? 'an update whose place in the document is unknown' : "writing in another participant's perspective"
		);
	}

	/** Records, once per writer and person written for, that the writer wrote for them (audited once). */
	written(meetingId: string, writerId: string, targets: ReadonlySet<string>): void {
		const now = new Date().toISOString();
		let added = false;
		for (const targetId of targets) {
			if (this.#insert.run(meetingId, writerId, targetId, now, now).changes > 0) {
				added = true;
				const writer = this.#deps.participants.get(writerId);
				this.#deps.audit.record('written_for', {
					meetingId,
					actor: { userId: writer?.userId ?? null, participantId: writerId, name: writer?.name ?? null, sessionId: null },
					detail: { participantId: targetId }
				});
			} else {
				this.#touch.run(now, meetingId, writerId, targetId);
			}
		}
		if (added) this.#deps.onChange(meetingId);
	}

	/**
	 * "Write for <name>" for goals: the writer (coordinator or scribe) says whom the goals they now
	 * create are for; null ends it. Kept in memory per connection (`connection`: the socket.io socket
	 * that set it, which clears it on disconnect), never in the document.
	 */
	setWritingFor(access: MeetingAccess, participantId: string | null, connection: string): void {
		this.#deps.policy.require(access, 'writeOnBehalf');
		const key = `${access.meetingId}\u0000${access.participant.id}`;
		if (participantId === null) {
			this.#writingFor.delete(key);
			return;
		}
		const target = this.#deps.participants.get(participantId);
		if (!target || target.meetingId !== access.meetingId || target.revoked) {
			throw new DomainError('not_found', 'That person is not a participant of this meeting.');
		}
		if (target.id === access.participant.id) throw new DomainError('unprocessable', 'You write for yourself without it.');
		this.#writingFor.set(key, { participantId, connection });
	}

	/** Whom the writer is writing goals for right now, if anyone. */
	writingFor(meetingId: string, writerId: string): string | null {
		return this.#writingFor.get(`${meetingId}\u0000${writerId}`)?.participantId ?? null;
	}

	/** A connection closed: the "write for" it set ends with it. */
	connectionClosed(connection: string): void {
		for (const [key, value] of this.#writingFor) if (value.connection === connection) this.#writingFor.delete(key);
	}

	/** After an update is stored: goals a writer in "write for" mode created are recorded and audited as written for that person. */
	goalsCreated(meetingId: string, writerId: string, goalIds: readonly string[]): void {
		const targetId = this.writingFor(meetingId, writerId);
		if (!targetId) return;
		// Read now: the mode may outlive the ability (a scribe un-named, the meeting closed).
		const writer = this.#deps.participants.get(writerId);
		if (!writer || writer.revoked || !abilitiesOfParticipant(writer, this.#deps.meetings.stateOf(meetingId)).writeOnBehalf) return;
		const now = new Date().toISOString();
		let added = false;
		for (const goalId of goalIds) {
			if (this.#insertGoal.run(meetingId, goalId, writerId, targetId, now).changes === 0) continue;
			added = true;
			this.#deps.audit.record('written_for', {
				meetingId,
				actor: { userId: writer.userId ?? null, participantId: writerId, name: writer.name ?? null, sessionId: null },
				detail: { participantId: targetId, goalId }
			});
		}
		if (added) this.#deps.onChange(meetingId);
	}

	/** Goals written by a scribe for someone, in the order they were written. */
	goals(meetingId: string): GoalWrittenFor[] {
		return this.#listGoals.all(meetingId).map((row) => ({ goalId: row.goal_id, writerId: row.writer_id, participantId: row.target_id }));
	}

	/** Who wrote for whom in a meeting, in the order it first happened. */
	list(meetingId: string): WrittenFor[] {
		return this.#list.all(meetingId).map((row) => ({ writerId: row.writer_id, participantId: row.target_id }));
	}

	/** Participant ids the coordinator named scribe (not revoked). */
	scribes(meetingId: string): string[] {
		return this.#deps.participants
			.list(meetingId)
			.filter((p) => p.scribe && !p.revoked)
			.map((p) => p.id);
	}

	/** The coordinator names (or un-names) a scribe: a participant with edit access, not the coordinator. */
	setScribe(access: MeetingAccess, participantId: string, scribe: boolean): void {
		this.#deps.policy.require(access, 'manageParticipants');
		const participant = this.#deps.participants.get(participantId);
		if (!participant || participant.meetingId !== access.meetingId || participant.revoked) {
			throw new DomainError('not_found', 'That person is not a participant of this meeting.');
		}
		if (scribe && participant.access !== 'edit') {
			throw new DomainError('unprocessable', 'A scribe needs edit access: a view-only participant cannot write.');
		}
		if (participant.role === 'coordinator') throw new DomainError('unprocessable', 'The coordinator writes on behalf of others already.');
		if (!this.#deps.participants.setScribe(participantId, scribe)) return;
		this.#deps.audit.record(scribe ? 'scribe_named' : 'scribe_removed', {
			actor: access.principal,
			meetingId: access.meetingId,
			participantId: access.participant.id,
			detail: { participantId }
		});
		this.#deps.onChange(access.meetingId);
	}
}
