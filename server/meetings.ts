import { randomBytes } from 'node:crypto';
import type { Db } from './db/database.js';

export interface Meeting {
	id: string;
	title: string;
	createdAt: string;
}

interface MeetingRow {
	id: string;
	title: string;
	created_at: string;
}

const toMeeting = (row: MeetingRow): Meeting => ({ id: row.id, title: row.title, createdAt: row.created_at });

/** A meeting id: 128 random bits, URL-safe, so ids cannot be guessed. */
export const newMeetingId = () => randomBytes(16).toString('base64url');

export class MeetingRepository {
	readonly #insert;
	readonly #byId;

	constructor(db: Db) {
		this.#insert = db.prepare<[string, string, string]>('INSERT INTO meetings (id, title, created_at) VALUES (?, ?, ?)');
		this.#byId = db.prepare<[string], MeetingRow>('SELECT id, title, created_at FROM meetings WHERE id = ?');
	}

	create(input: { title: string }): Meeting {
		const title = input.title.trim();
		if (title.length === 0 || title.length > 200) throw new RangeError('a meeting title needs 1 to 200 characters');
		const meeting = { id: newMeetingId(), title, createdAt: new Date().toISOString() };
		this.#insert.run(meeting.id, meeting.title, meeting.createdAt);
		return meeting;
	}

	get(id: string): Meeting | undefined {
		const row = this.#byId.get(id);
		return row && toMeeting(row);
	}

	exists(id: string): boolean {
		return this.#byId.get(id) !== undefined;
	}
}
