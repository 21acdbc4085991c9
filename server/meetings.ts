import { randomBytes } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { MeetingState } from '../src/lib/protocol/abilities.js';
import type { Db } from './db/database.js';

export interface Meeting {
	id: string;
	title: string;
	/** ISO timestamp, or null when no time was set. */
	scheduledAt: string | null;
	place: string;
	remoteLink: string;
	/** The language the meeting is held in (each participant still picks their own UI language). */
	language: 'fi' | 'sv' | 'en';
	createdBy: string | null;
	createdAt: string;
}

interface MeetingRow {
	id: string;
	title: string;
	scheduled_at: string | null;
	place: string | null;
	remote_link: string | null;
	language: 'fi' | 'sv' | 'en';
	created_by: string | null;
	created_at: string;
}

const toMeeting = (row: MeetingRow): Meeting => ({
	id: row.id,
	title: row.title,
	scheduledAt: row.scheduled_at,
	place: row.place ?? '',
	remoteLink: row.remote_link ?? '',
	language: row.language,
	createdBy: row.created_by,
	createdAt: row.created_at
});

/** A meeting id: 128 random bits, URL-safe, so ids cannot be guessed. */
export const newMeetingId = () => randomBytes(16).toString('base64url');

export interface NewMeetingRecord {
	title: string;
	scheduledAt?: string | null;
	place?: string;
	remoteLink?: string;
	language?: 'fi' | 'sv' | 'en';
	createdBy?: string | null;
}

export class MeetingRepository {
	readonly #db: Db;
	readonly #byId;

	constructor(db: Db) {
		this.#db = db;
		this.#byId = db.prepare<[string], MeetingRow>('SELECT * FROM meetings WHERE id = ?');
	}

	create(input: NewMeetingRecord): Meeting {
		const title = input.title.trim();
		if (title.length === 0 || title.length > 200) throw new RangeError('a meeting title needs 1 to 200 characters');
		const meeting: Meeting = {
			id: newMeetingId(),
			title,
			scheduledAt: input.scheduledAt || null,
			place: input.place ?? '',
			remoteLink: input.remoteLink ?? '',
			language: input.language ?? 'fi',
			createdBy: input.createdBy ?? null,
			createdAt: new Date().toISOString()
		};
		this.#db
			.prepare(
				`INSERT INTO meetings (id, title, scheduled_at, place, remote_link, language, created_by, created_at)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
			)
			.run(
				meeting.id,
				meeting.title,
				meeting.scheduledAt,
				meeting.place,
				meeting.remoteLink,
				meeting.language,
				meeting.createdBy,
				meeting.createdAt
			);
		return meeting;
	}

	get(id: string): Meeting | undefined {
		const row = this.#byId.get(id);
		return row && toMeeting(row);
	}

	exists(id: string): boolean {
		return this.#byId.get(id) !== undefined;
	}

	/**
	 * Whether a meeting is open or closed; `deleted` when no meeting has this id (deletion removes
	 * the row, and an id that never existed answers the same). Asked by the Policy on every decision.
	 */
	stateOf(id: string): MeetingState {
		this.#state ??= this.#db.prepare<[string], { closed_at: string | null }>('SELECT closed_at FROM meetings WHERE id = ?');
		const row = this.#state.get(id);
		return row === undefined ? 'deleted' : row.closed_at === null ? 'open' : 'closed';
	}

	#state: Statement<[string], { closed_at: string | null }> | undefined;

	many(ids: string[]): Meeting[] {
		return ids.flatMap((id) => {
			const meeting = this.get(id);
			return meeting ? [meeting] : [];
		});
	}
}
