import { m } from '../../src/lib/paraglide/messages.js';
import { DomainError } from '../errors.js';
import { labelsFor } from './labels.js';
import type { ExportInput } from './model.js';

/**
 * The follow-up as an iCalendar (RFC 5545) event: one all-day VEVENT on the follow-up date, with the
 * responsible worker and the mode (visit or call) in its summary. Its UID is the meeting's, so
 * importing the export again updates the same calendar entry instead of adding a second one.
 *
 * A calendar may sync to a cloud service: the event says who follows up and how, never the plan's
 * content (goals, actions, the client's words); it does say the consent's scope (issue #19).
 */
export function buildIcs(input: ExportInput): string {
	const { version, meeting, locale } = input;
	const responsible = version.plan.responsibleWorker;
	if (!responsible) throw new DomainError('unprocessable', 'This plan names no follow-up date, so there is no calendar event to export.');
	const l = labelsFor(locale);
	const name = responsible.name ?? '';
	const mode = l.followUpMode(responsible.followUpMode);
	const who = [name, l.roleAt(responsible.role ?? '', responsible.organisation ?? '')].filter(Boolean).join(', ');
	const description = [
		m.close_ics_description_worker({ who }, { locale }),
		m.close_ics_description_mode({ mode }, { locale }),
		responsible.contact ? m.close_ics_description_contact({ contact: responsible.contact }, { locale }) : '',
		m.close_ics_description_plan({ title: meeting.title, version: String(version.version) }, { locale }),
		// Whoever follows up needs to know what they may share: the scope, never the plan's content.
		m.record_excerpt_consent({ scope: l.consentScope(input.consent) }, { locale })
	]
		.filter(Boolean)
		.join('\n');
	const start = responsible.followUpDate.replaceAll('-', '');
	const lines = [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		'PRODID:-//Verkosto//Follow-up plan//EN',
		'CALSCALE:GREGORIAN',
		'METHOD:PUBLISH',
		'BEGIN:VEVENT',
		`UID:${meeting.id}.follow-up@verkosto`,
		// The moment the plan was closed: exporting the same version twice gives the same bytes.
		`DTSTAMP:${utcStamp(version.closedAt)}`,
		`DTSTART;VALUE=DATE:${start}`,
		`DTEND;VALUE=DATE:${nextDay(responsible.followUpDate).replaceAll('-', '')}`,
		`SUMMARY;LANGUAGE=${locale}:${text(m.close_ics_summary({ mode, name }, { locale }))}`,
		`DESCRIPTION;LANGUAGE=${locale}:${text(description)}`,
		`SEQUENCE:${version.version - 1}`,
		'STATUS:CONFIRMED',
		'TRANSP:TRANSPARENT',
		'END:VEVENT',
		'END:VCALENDAR'
	];
	return lines.map(fold).join('\r\n') + '\r\n';
}

/** TEXT value escaping (RFC 5545 §3.3.11). */
function text(value: string): string {
	return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Folds a content line to at most 75 octets per line, never inside a UTF-8 character (§3.1). */
function fold(line: string): string {
	const parts: string[] = [];
	let current = '';
	let octets = 0;
	for (const char of line) {
		const size = Buffer.byteLength(char, 'utf8');
		// The first line holds 75 octets; continuation lines start with a space, so 74 more.
		if (octets + size > (parts.length === 0 ? 75 : 74)) {
			parts.push(current);
			current = '';
			octets = 0;
		}
		current += char;
		octets += size;
	}
	parts.push(current);
	return parts.join('\r\n ');
}

function utcStamp(iso: string): string {
	return new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function nextDay(date: string): string {
	const day = new Date(`${date}T00:00:00Z`);
	day.setUTCDate(day.getUTCDate() + 1);
	return day.toISOString().slice(0, 10);
}
