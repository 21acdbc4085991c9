import * as Y from 'yjs';
import { diffPlans, type PlanDiff } from '../src/lib/meeting/diff.js';
import { gasTScore } from '../src/lib/meeting/gas.js';
import { seedFromPlan } from '../src/lib/meeting/seed.js';
import type { AuditLog } from './audit.js';
import { canonicalJson, sha256 } from './canonical.js';
import { cleanExport } from './exports/clean.js';
import type { ConsentRepository } from './consents.js';
import type { Db } from './db/database.js';
import type { Statement } from 'better-sqlite3';
import { DomainError, refusal } from './errors.js';
import type { FollowUp } from './follow-up.js';
import type { InviteRepository } from './invites.js';
import type { Meeting, MeetingRepository } from './meetings.js';
import type { ParticipantRepository } from './participants.js';
import { assemblePlan, contentOf, type PlanJson } from './plan.js';
import { abilitiesOf, type MeetingAccess, type Policy, type Principal } from './policy.js';
import type { Room } from './room.js';
import type { Scribes } from './scribes.js';
import type { DocumentRegistry } from './yjs/documents.js';
import type { DocumentStore } from './yjs/storage.js';

/** What closing still needs; each maps to a checklist item with a link to fix it. */
export type MissingForClose = 'responsible_worker' | 'goal' | 'client_consent';

export type MeetingKind = 'first' | 'follow_up' | 'closing';

/** An action the plan cannot be followed up on as it stands: nobody owns it, or it has no due date. */
export interface IncompleteAction {
	id: string;
	/** Its number in the plan's order, as the summary and the exports number it. */
	number: number;
	text: string;
	missing: Array<'owner' | 'due'>;
}

export interface PlanVersion {
	meetingId: string;
	seriesId: string;
	version: number;
	plan: PlanJson;
	/** The canonical JSON exactly as hashed. */
	canonical: string;
	hash: string;
	closedBy: string;
	closedAt: string;
}

/** Someone other than the client who recorded the client's answer with them (the scribe, issue #21 item 2). */
export interface RecordedBy {
	participantId: string;
	name: string | null;
}

export interface Evaluation {
	/** `clientRecordedBy`: present only when someone other than the client recorded the client's side. */
	ratings: Array<{ goalId: string; client: number | null; worker: number | null; clientRecordedBy?: RecordedBy }>;
	/** GAS T-scores over the goals that had levels defined and a rating; null when none. */
	tScore: { client: number | null; worker: number | null };
	/** `recordedBy`: present only when someone other than the client recorded this meeting's rating. */
	workAbility: { baseline: number | null; now: number | null; recordedBy?: RecordedBy };
	heard: 'yes' | 'partly' | 'no' | null;
	/** Present only when someone other than the client recorded the answer ("Recorded by X for Y"). */
	heardRecordedBy?: RecordedBy;
}

interface Deps {
	db: Db;
	meetings: MeetingRepository;
	participants: ParticipantRepository;
	invites: InviteRepository;
	consents: ConsentRepository;
	documents: DocumentRegistry;
	store: DocumentStore;
	room: Room;
	followUp: FollowUp;
	/** Who wrote for whom: the closed plan records it beside each perspective. */
	scribes?: Pick<Scribes, 'list' | 'goals'>;
	audit: AuditLog;
	policy: Pick<Policy, 'require' | 'meeting'>;
	inviteTtlMs: number;
	onChange(meetingId: string): void;
	/** Closes the live connections to a deleted meeting. */
	disconnectMeeting(meetingId: string): void;
	/**
	 * After a deletion: takes what the deletion freed off the disk (the write-ahead log still holds
	 * the pages as they were before it; App truncates it). Resolves when done or given up on.
	 */
	forgetDeleted?(): Promise<void>;
}

/**
 * Closing a meeting with one shared plan, and what follows: plan versions, follow-up and closing
 * meetings, the closing evaluation, and deleting a meeting (server/retention.ts decides when).
 */
export class Closing {
	readonly #deps: Deps;

	constructor(deps: Deps) {
		this.#deps = deps;
	}

	isClosed(meetingId: string): boolean {
		return this.#meta(meetingId)?.closed_at != null;
	}

	kindOf(meetingId: string): MeetingKind {
		return (this.#meta(meetingId)?.kind as MeetingKind | undefined) ?? 'first';
	}

	/** What is missing before the meeting can close (empty when it can). */
	async checklist(meetingId: string): Promise<MissingForClose[]> {
		const missing: MissingForClose[] = [];
		if (!this.#deps.followUp.get(meetingId)) missing.push('responsible_worker');
		const goals = await this.#deps.documents.read(meetingId, (doc) => contentOf(doc).goals.length);
		if (goals === 0) missing.push('goal');
		if (!this.#deps.consents.latest(meetingId)) missing.push('client_consent');
		return missing;
	}

	/** Actions without an owner (a participant of the meeting) or without a due date, in the plan's order. */
	async incompleteActions(meetingId: string): Promise<IncompleteAction[]> {
		const actions = await this.#deps.documents.read(meetingId, (doc) => contentOf(doc).actions);
		const people = new Set(this.#deps.participants.list(meetingId).filter((p) => !p.revoked).map((p) => p.id));
		return actions
			.map((action, index) => ({
				id: action.id,
				number: index + 1,
				text: action.text,
				missing: [
					...(people.has(action.owner) ? [] : (['owner'] as const)),
					...(/^\d{4}-\d{2}-\d{2}$/.test(action.due) ? [] : (['due'] as const))
				]
			}))
			.filter((action) => action.missing.length > 0);
	}

	/**
	 * Closes the meeting: from this moment its document accepts no update from anyone, and its plan
	 * is recorded as an immutable version (canonical JSON and SHA-256). Closing a closed meeting
	 * answers with its existing version.
	 */
	async close(access: MeetingAccess, principal: Principal, options: { confirmIncompleteActions?: boolean } = {}): Promise<PlanVersion> {
		const meetingId = access.meetingId;
		const existing = this.version(meetingId);
		// Closing again is a retry of the same decision (a lost answer), not a new one: whoever could
		// close the open meeting gets its version back (docs/api.md), and nothing changes.
		if (existing && abilitiesOf(access.participant.role, access.participant.access, 'open').close) return existing;
		this.#deps.policy.require(access, 'close');
		const missing = await this.checklist(meetingId);
		if (missing.length > 0) {
			throw new DomainError('conflict', 'The meeting cannot close yet: something is missing.', { missing });
		}
		// An action nobody owns or with no date is easily forgotten: the coordinator closes with it only knowingly (issue #19).
		const incomplete = await this.incompleteActions(meetingId);
		if (incomplete.length > 0 && options.confirmIncompleteActions !== true) {
			throw new DomainError(
				'conflict',
				'Some actions have no owner or no due date. Complete them, or confirm closing with them (confirmIncompleteActions: true).',
				{ incompleteActions: incomplete }
			);
		}
		// In the document's queue: every update queued before this is in the plan, none after it.
		const live = this.#deps.documents.acquire(meetingId);
		await live.loaded;
		const version = await live.run(() => {
			const seriesId = this.#meta(meetingId)?.series_id ?? meetingId;
			// The record is what every export is made from: no control character in it (server/exports/clean.ts).
			const plan = cleanExport(assemblePlan(meetingId, contentOf(live.doc), this.#deps));
			const canonical = canonicalJson(plan);
			const closedAt = new Date().toISOString();
			const closedBy = access.participant.id;
			const number =
				(this.#deps.db
					.prepare<[string], { n: number | null }>('SELECT max(version) AS n FROM plan_versions WHERE series_id = ?')
					.get(seriesId)?.n ?? 0) + 1;
			this.#deps.db.transaction(() => {
				this.#deps.db.prepare('UPDATE meetings SET closed_at = ?, closed_by = ? WHERE id = ?').run(closedAt, closedBy, meetingId);
				// A closed meeting has nobody waiting to speak and nobody speaking (issue #21 item 4): hands
				// and the turn are the live room's, and would otherwise stay in every view of the record.
				this.#deps.db.prepare('DELETE FROM raised_hands WHERE meeting_id = ?').run(meetingId);
				this.#deps.db.prepare('UPDATE meetings SET speaker_participant_id = NULL WHERE id = ?').run(meetingId);
				this.#deps.db
					.prepare(
						'INSERT INTO plan_versions (meeting_id, series_id, version, plan, sha256, closed_by, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?)'
					)
					.run(meetingId, seriesId, number, canonical, sha256(canonical), closedBy, closedAt);
			})();
			live.markClosed();
			return { meetingId, seriesId, version: number, plan, canonical, hash: sha256(canonical), closedBy, closedAt };
		});
		this.#deps.audit.record('meeting_closed', { actor: principal, meetingId, detail: { version: version.version, sha256: version.hash } });
		this.#deps.onChange(meetingId);
		return version;
	}

	version(meetingId: string): PlanVersion | null {
		const row = this.#deps.db
			.prepare<[string], { meeting_id: string; series_id: string; version: number; plan: string; sha256: string; closed_by: string; closed_at: string }>(
				'SELECT * FROM plan_versions WHERE meeting_id = ?'
			)
			.get(meetingId);
		if (!row) return null;
		return {
			meetingId: row.meeting_id,
			seriesId: row.series_id,
			version: row.version,
			plan: JSON.parse(row.plan) as PlanJson,
			canonical: row.plan,
			hash: row.sha256,
			closedBy: row.closed_by,
			closedAt: row.closed_at
		};
	}

	/** The client's service path: every meeting of the series, oldest first, with its version. */
	history(meetingId: string): Array<{ meeting: Meeting; kind: MeetingKind; version: number | null; hash: string | null }> {
		const seriesId = this.#meta(meetingId)?.series_id ?? meetingId;
		const ids = this.#deps.db
			.prepare<[string, string], { id: string }>(
				'SELECT id FROM meetings WHERE id = ? OR series_id = ? ORDER BY created_at, rowid'
			)
			.all(seriesId, seriesId)
			.map((row) => row.id);
		return ids.map((id) => {
			const version = this.version(id);
			return { meeting: this.#deps.meetings.get(id)!, kind: this.kindOf(id), version: version?.version ?? null, hash: version?.hash ?? null };
		});
	}

	/**
	 * The service path as `principal` may see it: only the meetings they can open (server/policy.ts),
	 * oldest first. A path's other meetings are someone else's: not even their titles are shown, since a
	 * title often names the client or the matter (issue #20 item 8).
	 */
	historyFor(principal: Principal, meetingId: string): ReturnType<Closing['history']> {
		return this.history(meetingId).filter((entry) => this.#deps.policy.meeting(principal, entry.meeting.id).ok);
	}

	/** The readable difference between the plan versions of two closed meetings of one path. */
	diff(fromMeetingId: string, toMeetingId: string): PlanDiff {
		const from = this.version(fromMeetingId);
		const to = this.version(toMeetingId);
		if (!from || !to) throw new DomainError('unprocessable', 'Both meetings must be closed to compare their plans.');
		if (from.seriesId !== to.seriesId) throw new DomainError('unprocessable', 'The meetings belong to different service paths.');
		return diffPlans(from.plan, to.plan);
	}

	/**
	 * Starts a follow-up (or the closing) meeting from a closed one: its document begins as the last
	 * plan (services, goals, actions, with the same ids), and the same participants are invited again.
	 * Returns the new meeting and the guests' new invitation tokens.
	 */
	async startNext(
		access: MeetingAccess,
		principal: Principal,
		input: { kind: 'follow_up' | 'closing'; title: string; scheduledAt?: string | null }
	): Promise<{ meeting: Meeting; invites: Array<{ participantId: string; token: string; expiresAt: string }> }> {
		this.#deps.policy.require(access, 'startFollowUp');
		// The new meeting is created by an account (a guest's session is bound to this meeting).
		if (principal.kind !== 'account') throw new DomainError('forbidden', "Only the meeting's coordinator starts the next meeting.");
		const previous = this.version(access.meetingId);
		if (!previous) throw new DomainError('conflict', 'Close this meeting first; the next one starts from its plan.');
		const old = this.#deps.meetings.get(access.meetingId)!;
		const seriesId = previous.seriesId;
		const meeting = this.#deps.meetings.create({
			title: input.title,
			scheduledAt: input.scheduledAt ?? null,
			place: old.place,
			remoteLink: old.remoteLink,
			language: old.language,
			createdBy: principal.userId
		});
		const invites: Array<{ participantId: string; token: string; expiresAt: string }> = [];
		// Each participant is a new record in the new meeting: the actions' owners follow them.
		const copies = new Map<string, string>();
		this.#deps.db.transaction(() => {
			this.#deps.db
				.prepare('UPDATE meetings SET series_id = ?, previous_meeting_id = ?, kind = ? WHERE id = ?')
				.run(seriesId, access.meetingId, input.kind, meeting.id);
			for (const person of this.#deps.participants.list(access.meetingId)) {
				if (person.revoked) continue;
				const copy = this.#deps.participants.create({
					meetingId: meeting.id,
					userId: person.userId,
					name: person.name,
					role: person.role,
					organisation: person.organisation,
					presence: person.presence,
					access: person.access
				});
				copies.set(person.id, copy.id);
				if (!person.userId) {
					const { token, expiresAt } = this.#deps.invites.issue(copy.id, this.#deps.inviteTtlMs);
					invites.push({ participantId: copy.id, token, expiresAt });
				}
			}
			// The coordinator who starts it takes part even if an earlier coordinator ran the last one.
			if (!this.#deps.participants.forUser(meeting.id, principal.userId)) {
				this.#deps.participants.addCoordinator(meeting.id, principal);
			}
		})();
		// The previous responsible worker, if still taking part, as a proposal the coordinator confirms.
		const responsible = previous.plan.responsibleWorker;
		const proposed = responsible ? copies.get(responsible.participantId) : undefined;
		if (responsible && proposed) this.#deps.followUp.propose(meeting.id, { participantId: proposed, contact: responsible.contact });
		const doc = new Y.Doc();
		seedFromPlan(doc, {
			...previous.plan,
			actions: previous.plan.actions.map((action) => ({ ...action, owner: copies.get(action.owner) ?? action.owner })),
			// What the team was not sure of is still to be answered; what was resolved stays in the last version.
			openQuestions: (previous.plan.openQuestions ?? []).filter((question) => !question.resolved)
		});
		await this.#deps.store.compact(meeting.id, Y.encodeStateAsUpdate(doc), 0);
		doc.destroy();
		this.#deps.audit.record('follow_up_created', { actor: principal, meetingId: meeting.id, detail: { previous: access.meetingId, kind: input.kind } });
		return { meeting, invites };
	}

	/**
	 * A closing meeting's rating of one goal, on the client's side or the workers' side: each side by
	 * itself, with edit access (the coordinator may record the client's with them). The Policy decides
	 * (abilities `rateGoalsAsClient`, `rateGoalsAsWorker`).
	 */
	rateGoal(access: MeetingAccess, goalId: string, rater: 'client' | 'worker', rating: number): void {
		this.#deps.policy.require(access, rater === 'client' ? 'rateGoalsAsClient' : 'rateGoalsAsWorker');
		if (this.kindOf(access.meetingId) !== 'closing') throw new DomainError('unprocessable', 'Goals are rated at the closing meeting.');
		if (!Number.isInteger(rating) || rating < -2 || rating > 2) {
			throw new DomainError('unprocessable', 'A goal is rated with a whole number from −2 to +2.');
		}
		this.#deps.db
			.prepare(
				`INSERT INTO goal_ratings (meeting_id, goal_id, rater, rating, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?)
				 ON CONFLICT (meeting_id, goal_id, rater) DO UPDATE SET rating = excluded.rating, recorded_at = excluded.recorded_at,
				 recorded_by = excluded.recorded_by`
			)
			.run(access.meetingId, goalId, rater, rating, new Date().toISOString(), access.participant.id);
		// Which goal and which side, never the rating: that is the evaluation's content. The client's
		// side recorded by someone else names the client as the subject (issue #21 item 2).
		const subject = rater === 'client' ? recordedForClient(this.#deps.participants, access) : null;
		this.#deps.audit.record('goal_rated', {
			actor: access.principal,
			meetingId: access.meetingId,
			participantId: access.participant.id,
			detail: { goalId, rater, ...(subject ? { subject } : {}) }
		});
		this.#deps.onChange(access.meetingId);
	}

	/** "Was I heard?" — the client's own answer (or recorded by the coordinator with them); open meetings only. */
	recordHeard(access: MeetingAccess, answer: 'yes' | 'partly' | 'no'): void {
		this.#deps.policy.require(access, 'answerHeard');
		this.#deps.db
			.prepare(
				`INSERT INTO heard_answers (meeting_id, answer, recorded_at, recorded_by) VALUES (?, ?, ?, ?)
				 ON CONFLICT (meeting_id) DO UPDATE SET answer = excluded.answer, recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by`
			)
			.run(access.meetingId, answer, new Date().toISOString(), access.participant.id);
		// Never the answer; the client as the subject when someone else recorded it with them.
		const subject = recordedForClient(this.#deps.participants, access);
		this.#deps.audit.record('heard_recorded', {
			actor: access.principal,
			meetingId: access.meetingId,
			participantId: access.participant.id,
			...(subject ? { detail: { subject } } : {})
		});
		this.#deps.onChange(access.meetingId);
	}

	/** The closing evaluation: ratings side by side, GAS T-scores, work ability against the baseline. */
	async evaluation(meetingId: string): Promise<Evaluation> {
		const goals = await this.#deps.documents.read(meetingId, (doc) => contentOf(doc).goals);
		const rows = this.#deps.db
			.prepare<[string], { goal_id: string; rater: 'client' | 'worker'; rating: number; recorded_by: string | null }>(
				'SELECT goal_id, rater, rating, recorded_by FROM goal_ratings WHERE meeting_id = ?'
			)
			.all(meetingId);
		const rowOf = (goalId: string, rater: 'client' | 'worker') => rows.find((row) => row.goal_id === goalId && row.rater === rater);
		const ratingOf = (goalId: string, rater: 'client' | 'worker') => rowOf(goalId, rater)?.rating ?? null;
		const byOther = recorderOtherThanClient(this.#deps.participants, meetingId);
		const ratings = goals.map((goal) => {
			const clientRecordedBy = byOther(rowOf(goal.id, 'client')?.recorded_by ?? null);
			return { goalId: goal.id, client: ratingOf(goal.id, 'client'), worker: ratingOf(goal.id, 'worker'), ...(clientRecordedBy ? { clientRecordedBy } : {}) };
		});
		const scaled = new Set(goals.filter((goal) => goal.gas && Object.keys(goal.gas).length > 0).map((goal) => goal.id));
		const tScoreOf = (rater: 'client' | 'worker') =>
			gasTScore(ratings.filter((r) => scaled.has(r.goalId) && r[rater] !== null).map((r) => r[rater]!));
		const seriesId = this.#meta(meetingId)?.series_id ?? meetingId;
		// The baseline is the path's first rating before this meeting: this meeting's own is "now".
		const baseline = this.#deps.db
			.prepare<[string, string, string], { score: number }>(
				`SELECT w.score FROM work_ability_scores w JOIN meetings m ON m.id = w.meeting_id
				 WHERE (m.id = ? OR m.series_id = ?) AND m.id != ? ORDER BY m.created_at, m.rowid LIMIT 1`
			)
			.get(seriesId, seriesId, meetingId);
		const heard = this.#deps.db
			.prepare<[string], { answer: 'yes' | 'partly' | 'no'; recorded_by: string | null }>(
				'SELECT answer, recorded_by FROM heard_answers WHERE meeting_id = ?'
			)
			.get(meetingId);
		const now = this.#deps.followUp.workAbility(meetingId);
		const workRecordedBy = byOther(now?.recordedBy ?? null);
		const heardRecordedBy = byOther(heard?.recorded_by ?? null);
		return {
			ratings,
			tScore: { client: tScoreOf('client'), worker: tScoreOf('worker') },
			workAbility: { baseline: baseline?.score ?? null, now: now?.score ?? null, ...(workRecordedBy ? { recordedBy: workRecordedBy } : {}) },
			heard: heard?.answer ?? null,
			...(heardRecordedBy ? { heardRecordedBy } : {})
		};
	}

	/**
	 * Deletes a meeting's content for real: the update log, snapshots, versions, participants,
	 * invitations, consent (by cascade, with SQLite's secure_delete). The audit trail stays, with one
	 * `deleted` entry. Live connections to it are closed first. Resolves once the write-ahead log
	 * that still held the content has been checkpointed and cut (`forgetDeleted`).
	 */
	async delete(
		meetingId: string,
		actor: Principal | null,
		reason: 'retention' | 'coordinator',
		/** Set when the meeting goes with its whole service path (server/retention.ts). */
		scope: { path?: string } = {}
	): Promise<void> {
		if (!this.#deps.meetings.exists(meetingId)) throw refusal.notFound();
		this.#deps.disconnectMeeting(meetingId);
		const live = this.#deps.documents.get(meetingId);
		if (live) await live.shutdown(4403, 'meeting deleted');
		this.#deps.db.transaction(() => {
			this.#deps.db.prepare('UPDATE meetings SET previous_meeting_id = NULL WHERE previous_meeting_id = ?').run(meetingId);
			this.#deps.db.prepare('DELETE FROM meetings WHERE id = ?').run(meetingId);
		})();
		this.#deps.audit.record('deleted', { actor, meetingId, detail: { reason, ...scope } });
		await this.#deps.forgetDeleted?.();
	}

	/** Asked on every request that checks a meeting's state: prepared once, not per call. */
	#metaStatement: Statement<[string], { closed_at: string | null; series_id: string | null; kind: string }> | undefined;

	#meta(meetingId: string) {
		this.#metaStatement ??= this.#deps.db.prepare('SELECT closed_at, series_id, kind FROM meetings WHERE id = ?');
		return this.#metaStatement.get(meetingId);
	}
}

/**
 * The client an answer was recorded for, when the recorder is not the client themself (the
 * coordinator recording with a client who has no device): the audit entry's `subject`. Null when
 * the client answered, or the meeting has no client participant.
 */
export function recordedForClient(participants: Pick<ParticipantRepository, 'list'>, access: MeetingAccess): string | null {
	if (access.participant.role === 'client') return null;
	return participants.list(access.meetingId).find((p) => p.role === 'client' && !p.revoked)?.id ?? null;
}

/**
 * Maps a stored `recorded_by` to "recorded by" for the record: only someone other than a client is
 * named (the client answering for themself is the ordinary case). Unknown recorders (rows from
 * before migration 0012) are not named.
 */
export function recorderOtherThanClient(participants: Pick<ParticipantRepository, 'list'>, meetingId: string): (id: string | null) => RecordedBy | null {
	const people = participants.list(meetingId);
	return (id) => {
		if (!id) return null;
		const person = people.find((p) => p.id === id);
		if (!person || person.role === 'client') return null;
		return { participantId: person.id, name: person.name };
	};
}
