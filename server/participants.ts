import { randomBytes } from 'node:crypto';
import type { Access, ParticipantRole, Presence } from '../src/lib/protocol/participants.js';
import type { Db } from './db/database.js';

export interface Participant {
	id: string;
	meetingId: string;
	/** Set when the participant is a professional with an account; guests have none. */
	userId: string | null;
	/** The coordinator's record of the participant: what everyone sees and what the plan records. */
	name: string;
	/**
	 * The name a guest chose when joining, if other than `name`: only ever shown beside it (issue #20
	 * item 8), so nobody can appear as someone else by choosing their name. Null: none.
	 */
	chosenName: string | null;
	role: ParticipantRole;
	organisation: string;
	presence: Presence;
	access: Access;
	revoked: boolean;
	/** Named scribe by the coordinator: may write a perspective on another participant's behalf (issue #21). */
	scribe: boolean;
	createdAt: string;
}

interface ParticipantRow {
	id: string;
	meeting_id: string;
	user_id: string | null;
	name: string;
	chosen_name: string | null;
	role: ParticipantRole;
	organisation: string;
	presence: Presence;
	access: Access;
	revoked_at: string | null;
	scribe: number;
	created_at: string;
}

const toParticipant = (row: ParticipantRow): Participant => ({
	id: row.id,
	meetingId: row.meeting_id,
	userId: row.user_id,
	name: row.name,
	chosenName: row.chosen_name,
	role: row.role,
	organisation: row.organisation,
	presence: row.presence,
	access: row.access,
	revoked: row.revoked_at !== null,
	scribe: row.scribe === 1,
	createdAt: row.created_at
});

export interface NewParticipantRecord {
	meetingId: string;
	userId?: string | null;
	name: string;
	role: ParticipantRole;
	organisation: string;
	presence: Presence;
	access: Access;
}

/** The revocation sweep's question (`revokedSince`), exported so a test can ask SQLite how it answers it. */
export const revokedSinceSql = 'SELECT id FROM participants WHERE revoked_at >= ?';

export class ParticipantRepository {
	readonly #db: Db;
	readonly #revokedSince;

	constructor(db: Db) {
		this.#db = db;
		this.#revokedSince = db.prepare<[string], string>(revokedSinceSql).pluck();
	}

	create(input: NewParticipantRecord): Participant {
		const participant: Participant = {
			id: randomBytes(12).toString('base64url'),
			meetingId: input.meetingId,
			userId: input.userId ?? null,
			name: input.name,
			chosenName: null,
			role: input.role,
			organisation: input.organisation,
			presence: input.presence,
			access: input.access,
			revoked: false,
			scribe: false,
			createdAt: new Date().toISOString()
		};
		this.#db
			.prepare(
				`INSERT INTO participants (id, meeting_id, user_id, name, role, organisation, presence, access, created_at)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
			)
			.run(
				participant.id,
				participant.meetingId,
				participant.userId,
				participant.name,
				participant.role,
				participant.organisation,
				participant.presence,
				participant.access,
				participant.createdAt
			);
		return participant;
	}

	/**
	 * The coordinator account that creates a meeting (in the app, the admin CLI, or by starting a
	 * follow-up) takes part in it: in the room, with edit access, without an organisation. The one
	 * place that decides what a new meeting's coordinator row holds.
	 */
	addCoordinator(meetingId: string, account: { userId: string; name: string }): Participant {
		return this.create({
			meetingId,
			userId: account.userId,
			name: account.name,
			role: 'coordinator',
			organisation: '',
			presence: 'room',
			access: 'edit'
		});
	}

	get(id: string): Participant | undefined {
		const row = this.#db.prepare<[string], ParticipantRow>('SELECT * FROM participants WHERE id = ?').get(id);
		return row && toParticipant(row);
	}

	/** The account's (non-revoked or revoked) participant record in a meeting. */
	forUser(meetingId: string, userId: string): Participant | undefined {
		const row = this.#db
			.prepare<[string, string], ParticipantRow>('SELECT * FROM participants WHERE meeting_id = ? AND user_id = ?')
			.get(meetingId, userId);
		return row && toParticipant(row);
	}

	list(meetingId: string): Participant[] {
		return this.#db
			.prepare<[string], ParticipantRow>('SELECT * FROM participants WHERE meeting_id = ? ORDER BY created_at, rowid')
			.all(meetingId)
			.map(toParticipant);
	}

	/** Keeps the name a guest chose when joining beside the record (null: none); never changes `name`. */
	setChosenName(id: string, chosenName: string | null): void {
		this.#db.prepare('UPDATE participants SET chosen_name = ? WHERE id = ?').run(chosenName, id);
	}

	/** Names or un-names a scribe; true when it changed. */
	setScribe(id: string, scribe: boolean): boolean {
		return this.#db.prepare('UPDATE participants SET scribe = ? WHERE id = ? AND scribe != ?').run(scribe ? 1 : 0, id, scribe ? 1 : 0).changes > 0;
	}

	revoke(id: string): boolean {
		return (
			this.#db
				.prepare('UPDATE participants SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
				.run(new Date().toISOString(), id).changes > 0
		);
	}

	/**
	 * Ids of the participants revoked at or after `since` (an ISO time): the revocation sweep's
	 * question, twice a second, so prepared once and answered from an index (migration 8).
	 */
	revokedSince(since: string): string[] {
		return this.#revokedSince.all(since);
	}

	/** Meetings an account takes part in (not revoked), newest first. */
	meetingIdsForUser(userId: string): string[] {
		return this.#db
			.prepare<[string], { meeting_id: string }>(
				'SELECT meeting_id FROM participants WHERE user_id = ? AND revoked_at IS NULL ORDER BY created_at DESC, rowid DESC'
			)
			.all(userId)
			.map((row) => row.meeting_id);
	}
}
