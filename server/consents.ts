import { randomBytes } from 'node:crypto';
import { consentOrganisations, type ConsentOrganisation, type ConsentScope, type ParticipantRole } from '../src/lib/protocol/participants.js';
import type { AuditLog } from './audit.js';
import type { Db } from './db/database.js';
import { DomainError } from './errors.js';
import type { MeetingAccess, Policy, Principal } from './policy.js';

export interface Consent {
	id: string;
	meetingId: string;
	participantId: string;
	/** The organisations the client allows to exchange information (Kela's form Y 100); empty: nothing is shared. */
	organisations: ConsentOrganisation[];
	givenAt: string;
	/** Who recorded it: the participant id of the client themself, or of the coordinator with the client. */
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

/**
 * Which consent organisation a professional's role belongs to, so that an excerpt goes only to an
 * organisation the client consented to. The coordinator (the team itself, which holds the shared plan
 * anyway) and `other` belong to none: an organisation that cannot be placed gets no excerpt, because
 * sharing without a clear consent is the mistake that cannot be undone (issue #19).
 */
const organisationOfRole: Partial<Record<ParticipantRole, ConsentOrganisation>> = {
	nurse: 'health',
	doctor: 'health',
	social_worker: 'social',
	employment: 'employment',
	kela: 'kela',
	third_sector: 'third_sector',
	peer_supporter: 'third_sector'
};

export function consentOrganisationOfRole(role: string): ConsentOrganisation | null {
	return Object.hasOwn(organisationOfRole, role) ? (organisationOfRole[role as ParticipantRole] ?? null) : null;
}

/** Known organisations only, each once, in the form's order: what a stored or sent scope means. */
export function normaliseScope(values: readonly string[]): ConsentOrganisation[] {
	return consentOrganisations.filter((value) => values.includes(value));
}

function fromRow(row: ConsentRow): Consent {
	return {
		id: row.id,
		meetingId: row.meeting_id,
		participantId: row.participant_id,
		organisations: normaliseScope(JSON.parse(row.organisations) as string[]),
		givenAt: row.given_at,
		recordedBy: row.recorded_by
	};
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
		return row && fromRow(row);
	}

	/**
	 * The consent of the meeting this one follows up, if any: shown again at a follow-up meeting, where
	 * the client is asked again (a consent is given for one meeting, never copied as given).
	 */
	previous(meetingId: string): Consent | undefined {
		const row = this.#db
			.prepare<[string], ConsentRow>(
				`SELECT c.* FROM consents c JOIN meetings m ON m.previous_meeting_id = c.meeting_id
				 WHERE m.id = ? ORDER BY c.given_at DESC, c.rowid DESC LIMIT 1`
			)
			.get(meetingId);
		return row && fromRow(row);
	}
}

/** The client's consent as every view shows it: the scope, who recorded it and when. */
export type ConsentView = ConsentScope;

export interface ConsentsDeps {
	consents: ConsentRepository;
	audit: Pick<AuditLog, 'record'>;
	policy: Pick<Policy, 'require'>;
	nameOf(participantId: string): string | null;
	/** The meeting's (non-revoked) client participant, if any. */
	clientOf(meetingId: string): string | null;
	onChange(meetingId: string): void;
}

/**
 * Giving and changing the consent inside a meeting: the client themself, or the coordinator with the
 * client, until the meeting closes. Every change is a new record and an audit entry.
 */
export class Consents {
	readonly #deps: ConsentsDeps;

	constructor(deps: ConsentsDeps) {
		this.#deps = deps;
	}

	view(consent: Consent | undefined): ConsentView | null {
		if (!consent) return null;
		return {
			organisations: consent.organisations,
			givenAt: consent.givenAt,
			recordedBy: consent.recordedBy,
			recordedByName: this.#deps.nameOf(consent.recordedBy)
		};
	}

	/** This meeting's consent and, at a follow-up meeting, the previous meeting's. */
	current(meetingId: string): { consent: ConsentView | null; previous: ConsentView | null } {
		return {
			consent: this.view(this.#deps.consents.latest(meetingId)),
			previous: this.view(this.#deps.consents.previous(meetingId))
		};
	}

	/** Records the client's (new) scope; `organisations` may be empty: "not shared" is a valid answer. */
	change(access: MeetingAccess, principal: Principal, organisations: readonly string[]): ConsentView {
		// 403 for anyone but the client or the coordinator; 409 once closed (a follow-up meeting asks again).
		this.#deps.policy.require(access, 'recordConsent');
		const isClient = access.participant.role === 'client';
		const unknown = organisations.filter((value) => !(consentOrganisations as readonly string[]).includes(value));
		if (unknown.length > 0) {
			throw new DomainError('invalid', `Unknown organisations: ${unknown.join(', ')}.`, {
				issues: [{ path: 'organisations', message: 'unknown' }]
			});
		}
		const clientId = isClient ? access.participant.id : this.#deps.clientOf(access.meetingId);
		if (!clientId) throw new DomainError('unprocessable', 'The meeting has no client yet: invite the client first.');
		const consent = this.#deps.consents.record({
			meetingId: access.meetingId,
			participantId: clientId,
			organisations: normaliseScope(organisations),
			recordedBy: access.participant.id
		});
		this.#deps.audit.record('consent_recorded', {
			actor: principal,
			meetingId: access.meetingId,
			detail: { organisations: consent.organisations }
		});
		this.#deps.onChange(access.meetingId);
		return this.view(consent)!;
	}
}
