import type { AuditLog } from '../audit.js';
import type { Closing } from '../closing.js';
import type { ConsentRepository } from '../consents.js';
import { DomainError } from '../errors.js';
import type { MeetingRepository } from '../meetings.js';
import type { Participation } from '../participation.js';
import type { Policy, Principal } from '../policy.js';
import { canonicalJson, sha256 } from '../canonical.js';
import { cleanExport } from './clean.js';
import { buildFhirBundle } from './fhir.js';
import { buildIcs } from './ics.js';
import { isExportLocale, type ExportLocale } from './labels.js';
import { fileName, type ExportInput } from './model.js';
import { buildPdf } from './pdf.js';
import { plainText } from './texts.js';

export { buildFhirBundle } from './fhir.js';
export { cleanExport, cleanExportText } from './clean.js';
export { buildIcs } from './ics.js';
export { buildPdf } from './pdf.js';
export { organisationExcerpts, plainSummary, plainText } from './texts.js';
export type { ExportInput } from './model.js';
export { isExportLocale, type ExportLocale } from './labels.js';

/** The export formats of a closed plan (docs/api.md). `plain-*` are the client's plain-language version. */
export const exportFormats = ['pdf', 'plain-pdf', 'plain-txt', 'fhir', 'ics', 'json'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export interface ExportFile {
	body: Uint8Array | string;
	contentType: string;
	fileName: string;
	headers: Record<string, string>;
}

export interface ExportDeps {
	participation: Pick<Participation, 'access'>;
	policy: Pick<Policy, 'require'>;
	consents?: Pick<ConsentRepository, 'latest'>;
	closing: Pick<Closing, 'version' | 'kindOf' | 'evaluation'>;
	meetings: Pick<MeetingRepository, 'get'>;
	audit: Pick<AuditLog, 'record'>;
}

/** The file stem of each format, in the export's language. */
const stems: Record<ExportLocale, { plan: string; plain: string; followUp: string }> = {
	fi: { plan: 'jatkosuunnitelma', plain: 'oma-suunnitelma', followUp: 'seuranta' },
	sv: { plan: 'fortsatt-plan', plain: 'min-plan', followUp: 'uppfoljning' },
	en: { plan: 'follow-up-plan', plain: 'my-plan', followUp: 'follow-up' }
};

/**
 * What the builders need for one closed meeting. A meeting that is not closed has no plan version
 * to export: 409 with what to do.
 */
export async function exportInput(
	deps: Pick<ExportDeps, 'closing' | 'meetings'> & { consents?: Pick<ConsentRepository, 'latest'> },
	meetingId: string,
	locale?: string | null
): Promise<ExportInput> {
	const meeting = deps.meetings.get(meetingId);
	if (!meeting) throw new DomainError('not_found', 'Meeting not found. Check the link.');
	const version = deps.closing.version(meetingId);
	if (!version) {
		throw new DomainError(
			'conflict',
			'The meeting is not closed yet. Exports are made from the closed plan: the coordinator closes the meeting first.'
		);
	}
	const kind = deps.closing.kindOf(meetingId);
	const recorded = version.plan.consent === undefined ? deps.consents?.latest(meetingId) : undefined;
	const consent =
		version.plan.consent ??
		(recorded
			? {
					organisations: recorded.organisations,
					givenAt: recorded.givenAt,
					recordedBy: recorded.recordedBy,
					recordedByName: version.plan.participants.find((p) => p.id === recorded.recordedBy)?.name ?? null
				}
			: null);
	// The one boundary where control characters leave every export (server/exports/clean.ts). A plan is
	// cleaned at closing already, so its canonical JSON stays the bytes hashed; only a version recorded
	// before that changes here, and its JSON export then says so in its own digest (buildExport).
	const plan = cleanExport(version.plan);
	const canonical = canonicalJson(plan);
	const rest = cleanExport({
		consent,
		meeting: { id: meeting.id, title: meeting.title, scheduledAt: meeting.scheduledAt, place: meeting.place, language: meeting.language },
		kind,
		evaluation: kind === 'closing' ? await deps.closing.evaluation(meetingId) : null
	});
	return {
		...rest,
		version: canonical === version.canonical ? version : { ...version, plan, canonical },
		locale: isExportLocale(locale) ? locale : meeting.language
	};
}

/** Builds one export of a closed plan: a pure function of the input (no access checks, no audit). */
export async function buildExport(input: ExportInput, format: ExportFormat): Promise<ExportFile> {
	const stem = stems[input.locale];
	const version = { 'x-plan-version': String(input.version.version), 'x-plan-sha256': input.version.hash };
	switch (format) {
		case 'pdf':
			return { body: await buildPdf(input), contentType: 'application/pdf', fileName: fileName(input, stem.plan, 'pdf'), headers: version };
		case 'plain-pdf':
			return { body: await buildPdf(input, { plain: true }), contentType: 'application/pdf', fileName: fileName(input, stem.plain, 'pdf'), headers: version };
		case 'plain-txt':
			return { body: plainText(input), contentType: 'text/plain; charset=utf-8', fileName: fileName(input, stem.plain, 'txt'), headers: version };
		case 'fhir':
			return {
				body: JSON.stringify(buildFhirBundle(input), null, 2),
				contentType: 'application/fhir+json; fhirVersion=4.0; charset=utf-8',
				fileName: fileName(input, stem.plan, 'fhir.json'),
				headers: version
			};
		case 'ics':
			return { body: buildIcs(input), contentType: 'text/calendar; charset=utf-8', fileName: fileName(input, stem.followUp, 'ics'), headers: version };
		case 'json':
			return {
				// The canonical JSON exactly as hashed: its SHA-256 is the version's hash.
				body: input.version.canonical,
				contentType: 'application/json; charset=utf-8',
				fileName: fileName(input, stem.plan, 'json'),
				headers: {
					...version,
					// RFC 9530: the digest of the bytes of this representation: the version's hash, except for
					// a version recorded with control characters in it, which exportInput cleaned.
					etag: `"sha256-${sha256(input.version.canonical)}"`,
					'repr-digest': `sha-256=:${Buffer.from(sha256(input.version.canonical), 'hex').toString('base64')}:`
				}
			};
	}
}

/**
 * An export for a participant of the meeting, recorded in the audit trail. Anyone else: 401/403/404
 * as for every other channel; a meeting that is not closed: 409.
 */
export async function exportMeeting(
	deps: ExportDeps,
	principal: Principal,
	meetingId: string,
	format: ExportFormat,
	locale?: string | null
): Promise<ExportFile> {
	// The `export` ability: any participant, once closed (before that, 409).
	deps.policy.require(deps.participation.access(principal, meetingId), 'export');
	const input = await exportInput(deps, meetingId, locale);
	const file = await buildExport(input, format);
	deps.audit.record('export', { actor: principal, meetingId, detail: { format, version: input.version.version } });
	return file;
}
