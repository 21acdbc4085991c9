import { randomBytes } from 'node:crypto';
import type { ConsentOrganisation } from '../src/lib/protocol/participants.js';
import type { Db } from './db/database.js';

export interface Consent {
	id: string;
	meetingId: string;
	participantId: string;
	organisations: ConsentOrganisation[];
	givenAt: string;
	/** Who recorded it: the client themself (participant id) or a professional (user id). */
	recordedBy: string;
}

interface ConsentRow {
	id: string;
	meeting_id: string;
	participant_id: string;
	organisations: string;
	given_at: string;
	recorded_by: string;
}

/** The client's consent to exchange information between organisations; each change is a new record. */
export class ConsentRepository {
	readonly #db: Db;

	constructor(db: Db) {
		this.#db = db;
	}

	record(input: Omit<Consent, 'id' | 'givenAt'>, now = new Date()): Consent {
		const consent: Consent = { ...input, id: randomBytes(12).toString('base64url'), givenAt: now.toISOString() };
		this.#db
			.prepare(
				'INSERT INTO consents (id, meeting_id, participant_id, organisations, given_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?)'
			)
			.run(consent.id, consent.meetingId, consent.participantId, JSON.stringify(consent.organisations), consent.givenAt, consent.recordedBy);
		return consent;
	}

	/** The newest consent recorded in a meeting, if any. */
	latest(meetingId: string): Consent | undefined {
		const row = this.#db
			.prepare<[string], ConsentRow>('SELECT * FROM consents WHERE meeting_id = ? ORDER BY given_at DESC, rowid DESC LIMIT 1')
			.get(meetingId);
		return (
			row && {
				id: row.id,
				meetingId: row.meeting_id,
				participantId: row.participant_id,
				organisations: JSON.parse(row.organisations) as ConsentOrganisation[],
				givenAt: row.given_at,
				recordedBy: row.recorded_by
			}
		);
	}
}
