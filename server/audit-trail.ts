import { m } from '../src/lib/paraglide/messages.js';
import { isLocale, type Locale } from '../src/lib/paraglide/runtime.js';
import { auditActionLabel, describeAuditDetail } from '../src/lib/i18n/audit.js';
import { formatLogTime } from '../src/lib/time/helsinki.js';
import type { AuditActor, AuditEvent, AuditLog } from './audit.js';
import { DomainError, refusal } from './errors.js';
import type { Logger } from './log.js';
import type { MeetingRepository } from './meetings.js';
import type { ParticipantRepository } from './participants.js';
import type { Policy, Principal } from './policy.js';

/** A read of a meeting's data over HTTP: which page or API resource, on which channel. */
export interface MeetingRead {
	channel: 'page' | 'api';
	/** The route's last segment (`plan`, `history`…; `room` for the meeting page itself). */
	view: string;
}

interface Deps {
	audit: AuditLog;
	policy: Policy;
	meetings: MeetingRepository;
	participants: ParticipantRepository;
	/** The ids of a meeting's service path, oldest first, and the path's id ([] for an unknown meeting). */
	pathOf(meetingId: string): { pathId: string; meetingIds: string[] } | null;
	log: Logger;
}

/**
 * Every access to a client's data, in the audit trail (Client Data Act 703/2023: the client can be
 * told who accessed their data; docs/audit.md). The domain services record their own decisions;
 * this records what has no service of its own — reads over HTTP (one call from hooks.server.ts for
 * every meeting route), live connections opening and closing — and gives the trail to the client
 * as CSV, in the meeting's language.
 */
export class AuditTrail {
	readonly #deps: Deps;

	constructor(deps: Deps) {
		this.#deps = deps;
	}

	/**
	 * A page or API read that was answered (2xx). The audit view itself is `audit_viewed`, so the
	 * trail also shows who looked at the trail. Throws if the entry cannot be written: the caller
	 * then refuses the read rather than hand out data that is not in the trail.
	 */
	recordRead(principal: Principal, meetingId: string, read: MeetingRead): void {
		const verdict = this.#deps.policy.meeting(principal, meetingId);
		this.#deps.audit.record(read.view === 'audit' ? 'audit_viewed' : 'meeting_viewed', {
			actor: principal,
			meetingId,
			participantId: verdict.ok ? verdict.access.participant.id : null,
			detail: { channel: read.channel, view: read.view }
		});
	}

	/**
	 * A live connection opened (`joined`) or closed (`left`) on the Yjs or socket.io channel. Called
	 * from connection events, where a throw would end the process: a failure is logged instead.
	 */
	recordConnection(action: 'joined' | 'left', actor: Principal | AuditActor, meetingId: string, channel: 'yjs' | 'socket.io', participantId: string): void {
		try {
			this.#deps.audit.record(action, { actor, meetingId, participantId, detail: { channel } });
		} catch (error) {
			this.#deps.log.error({ err: error, meetingId, participantId, action, channel }, 'could not write a connection to the audit trail');
		}
	}

	/** A read over socket.io (the document snapshot), recorded like an HTTP read. */
	recordSocketRead(principal: Principal, meetingId: string, participantId: string, view: string): void {
		try {
			this.#deps.audit.record('meeting_viewed', { actor: principal, meetingId, participantId, detail: { channel: 'socket.io', view } });
		} catch (error) {
			this.#deps.log.error({ err: error, meetingId, participantId }, 'could not write a read to the audit trail');
		}
	}

	/**
	 * The trail as a CSV file for the client: one meeting's, or (`scope: 'path'`) the whole service
	 * path's, also of its meetings whose content was already deleted. For a coordinator of the meeting
	 * (`viewAudit`); the path's trail for a coordinator of every meeting of it still kept, as deleting
	 * the path is. In the meeting's language unless `lang` names another. Recorded as `audit_downloaded`.
	 */
	csv(principal: Principal, meetingId: string, options: { scope?: string | null; lang?: string | null } = {}): { fileName: string; body: string } {
		const access = this.#require(principal, meetingId);
		const scope = options.scope ?? 'meeting';
		if (scope !== 'meeting' && scope !== 'path') {
			throw new DomainError('invalid', 'scope must be "meeting" or "path".', { issues: [{ path: 'scope', message: 'meeting | path' }] });
		}
		if (options.lang && !isLocale(options.lang)) {
			throw new DomainError('invalid', 'lang must be fi, sv or en.', { issues: [{ path: 'lang', message: 'fi | sv | en' }] });
		}
		const meeting = this.#deps.meetings.get(meetingId)!;
		const locale: Locale = options.lang && isLocale(options.lang) ? options.lang : isLocale(meeting.language) ? meeting.language : 'fi';
		const path = scope === 'path' ? this.#deps.pathOf(meetingId)! : null;
		if (path) for (const id of path.meetingIds) this.#require(principal, id);
		// Recorded before the file is made, so the download is in the file it gives.
		this.#deps.audit.record('audit_downloaded', {
			actor: principal,
			meetingId,
			participantId: access.participant.id,
			detail: { channel: 'csv', ...(path ? { scope } : {}) }
		});
		const events = path ? this.#deps.audit.forPath(path.pathId, path.meetingIds) : this.#deps.audit.forMeeting(meetingId);
		const ids = [...new Set(events.map((event) => event.meetingId).filter((id): id is string => id !== null))];
		const names: Record<string, string> = {};
		const titles: Record<string, string> = {};
		for (const id of ids) {
			for (const p of this.#deps.participants.list(id)) names[p.id] = p.name;
			const title = this.#deps.meetings.get(id)?.title;
			if (title) titles[id] = title;
		}
		return { fileName: `${m.audit_csv_file({}, { locale })}-${meetingId}.csv`, body: auditCsv(events, { locale, names, titles }) };
	}

	#require(principal: Principal, meetingId: string) {
		const verdict = this.#deps.policy.meeting(principal, meetingId);
		if (!verdict.ok) {
			throw verdict.reason === 'unauthenticated' ? refusal.unauthenticated() : verdict.reason === 'not_found' ? refusal.notFound() : refusal.forbidden();
		}
		this.#deps.policy.require(verdict.access, 'viewAudit');
		return verdict.access;
	}
}

/**
 * A spreadsheet cell that cannot run as a formula (OWASP "CSV Injection"): a value starting with
 * `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, and every cell is quoted.
 */
export function csvCell(value: string): string {
	const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
	return `"${safe.replaceAll('"', '""')}"`;
}

/**
 * The trail as CSV: a header row and one row per entry, oldest first, every word in `locale`. A
 * byte order mark first, so that spreadsheet programs read ä, ö and å as UTF-8; CRLF line ends
 * (RFC 4180). A meeting whose content is deleted is named by its id, and a participant no longer
 * on record by the name the entry kept.
 */
export function auditCsv(events: readonly AuditEvent[], context: { locale: Locale; names: Record<string, string>; titles: Record<string, string> }): string {
	const { locale, names, titles } = context;
	const options = { locale };
	const header = [
		m.audit_col_time({}, options),
		m.audit_col_meeting({}, options),
		m.audit_col_action({}, options),
		m.audit_col_who({}, options),
		m.audit_col_session({}, options),
		m.audit_col_detail({}, options)
	];
	const rows = events.map((event) => [
		formatLogTime(event.at, locale),
		event.meetingId ? (titles[event.meetingId] ?? event.meetingId) : '',
		auditActionLabel(event.action, locale),
		event.actorName ?? (event.actorParticipantId ? names[event.actorParticipantId] : undefined) ?? m.audit_actor_unknown({}, options),
		event.sessionRef ?? '',
		describeAuditDetail(event.detail, names, locale).join('; ')
	]);
	return `\uFEFF${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
