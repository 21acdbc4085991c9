import { describe, expect, it } from 'vitest';
import { labelledAuditActions } from '../src/lib/i18n/audit.js';
import { auditActions, type AuditEvent } from './audit.js';
import { auditCsv, csvCell } from './audit-trail.js';

/** One entry as the trail stores it; an invented name with ä, ö and å. */
const event = (over: Partial<AuditEvent> = {}): AuditEvent => ({
	id: 1,
	at: '2026-03-02T08:05:09.000Z',
	action: 'meeting_viewed',
	meetingId: 'm1',
	actorUserId: 'u1',
	actorParticipantId: 'p1',
	actorName: 'Åsa Sjöström-Äijälä',
	sessionRef: 'a1b2c3d4e5f6',
	detail: { channel: 'api', view: 'plan' },
	...over
});

/** The CSV's rows as arrays of cells (quoted, comma-separated, CRLF, a BOM first). */
function parse(csv: string): string[][] {
	expect(csv.startsWith('\uFEFF')).toBe(true);
	return csv
		.slice(1)
		.split('\r\n')
		.filter((line) => line !== '')
		.map((line) => [...line.matchAll(/"((?:[^"]|"")*)"(?:,|$)/g)].map((match) => match[1]!.replaceAll('""', '"')));
}

const context = { names: { p1: 'Åsa Sjöström-Äijälä', p2: 'Pekka Äijälä' }, titles: { m1: 'Verkostotapaaminen – Åsa S.' } };

describe('the audit trail for the client (CSV)', () => {
	it('names every action the server records, in every language', () => {
		expect([...labelledAuditActions].sort()).toEqual([...auditActions].sort());
	});

	it('has its headers and action names in the meeting language, not raw keys', () => {
		const rows = (locale: 'fi' | 'sv' | 'en') => parse(auditCsv([event(), event({ id: 2, action: 'meeting_closed', detail: null })], { locale, ...context }));
		expect(rows('fi')[0]).toEqual(['Aika', 'Tapaaminen', 'Tapahtuma', 'Kuka', 'Istunto', 'Lisätiedot']);
		expect(rows('sv')[0]).toEqual(['Tid', 'Möte', 'Händelse', 'Vem', 'Session', 'Mer information']);
		expect(rows('en')[0]).toEqual(['Time', 'Meeting', 'Event', 'Who', 'Session', 'Details']);
		expect(rows('fi')[2]![2]).toBe('Tapaaminen suljettiin');
		expect(rows('sv')[2]![2]).toBe('Mötet avslutades');
		expect(rows('en')[2]![2]).toBe('The meeting was closed');
		for (const locale of ['fi', 'sv', 'en'] as const) {
			for (const row of rows(locale).slice(1)) expect(row[2]).not.toMatch(/_/);
		}
	});

	it('keeps ä, ö and å, the session reference and the meeting title; times in Helsinki', () => {
		const [, row] = parse(auditCsv([event()], { locale: 'en', ...context }));
		expect(row![1]).toBe('Verkostotapaaminen – Åsa S.');
		expect(row![3]).toBe('Åsa Sjöström-Äijälä');
		expect(row![4]).toBe('a1b2c3d4e5f6');
		// 08:05 UTC is 10:05 in Helsinki in March (EET).
		expect(row![0]).toContain('10:05:09');
		expect(row![5]).toBe('through the API; Viewed: plan');
	});

	it('reads ids as names in the detail, and names a deleted meeting by its id', () => {
		const [, row] = parse(
			auditCsv([event({ meetingId: 'gone', action: 'turn_given', detail: { participantId: 'p2' } })], { locale: 'fi', ...context })
		);
		expect(row![1]).toBe('gone');
		expect(row![2]).toBe('Antoi puheenvuoron');
		expect(row![5]).toBe('Osallistuja: Pekka Äijälä');
	});

	it('names the client an answer was recorded for, when someone else recorded it', () => {
		const recorded = event({ action: 'work_ability_recorded', actorParticipantId: 'p2', actorName: 'Pekka Äijälä', detail: { subject: 'p1' } });
		expect(parse(auditCsv([recorded], { locale: 'fi', ...context }))[1]![5]).toBe('Kirjattu asiakkaan puolesta: Åsa Sjöström-Äijälä');
		expect(parse(auditCsv([recorded], { locale: 'sv', ...context }))[1]![5]).toBe('Registrerat för klienten: Åsa Sjöström-Äijälä');
		expect(parse(auditCsv([recorded], { locale: 'en', ...context }))[1]![5]).toBe('Recorded for the client: Åsa Sjöström-Äijälä');
	});

	it('neutralises cells a spreadsheet would run as a formula', () => {
		for (const hostile of ['=HYPERLINK("http://evil.example")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) {
			expect(csvCell(hostile)).toBe(`"'${hostile.replaceAll('"', '""')}"`);
		}
		expect(csvCell('Åsa "Sjöström"')).toBe('"Åsa ""Sjöström"""');
		const [, row] = parse(auditCsv([event({ actorName: '=cmd|"/c calc"!A1' })], { locale: 'en', ...context }));
		expect(row![3]).toBe(`'=cmd|"/c calc"!A1`);
	});
});
