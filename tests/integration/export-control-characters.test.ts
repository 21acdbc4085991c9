/**
 * Control characters typed into a name, a contact or a goal never reach an exported file (issue #20
 * item 8): a bare CR in the calendar export used to end a content line early. Every format is read by
 * a real parser (ical.js, JSON.parse, pdf.js), and the raw bytes are checked as well.
 */
import ICAL from 'ical.js';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addGoal, change, clientVoice } from '../../src/lib/meeting/index.js';
import { addMonths, helsinkiToday } from '../../server/follow-up.js';
import { exportFormats, exportMeeting, cleanExportText } from '../../server/exports/index.js';
import { guest, meetingWithCoordinator, type Account, type Guest } from '../helpers/people.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { connectProvider, synced } from '../helpers/yjs-client.js';
import { eventually } from './plans.js';
import { removeDir } from './support.js';

/** CR, LF, NUL, ESC, NEL (U+0085), DEL, CSI (U+009B), LINE SEPARATOR, PARAGRAPH SEPARATOR. */
const dirty = (word: string) => `${word}\rDTSTART:19700101\nX\u0000Y\u001b[31mZ\u0085W\u007fV\u009bU\u2028T\u2029S`;
const names = { kela: dirty('Åsa Sjöström'), organisation: dirty('Kela Östersund'), contact: dirty('040 765 4321'), title: dirty('Äijälän tapaaminen'), goal: dirty('Palaan työhön.'), voice: dirty('Haluan töihin.') };

/** Anything but TAB and LF (which multi-line text keeps) that may not appear in an export. */
// eslint-disable-next-line no-control-regex
const forbidden = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

let srv: TestServer;
let coordinator: Account;
let kela: Guest;
let meetingId: string;

beforeAll(async () => {
	srv = await startServer();
	const made = await meetingWithCoordinator(srv.app, names.title);
	coordinator = made.coordinator;
	meetingId = made.meeting.id;
	await guest(srv.app, meetingId, coordinator, { role: 'client' });
	kela = await guest(srv.app, meetingId, coordinator, { role: 'kela', name: names.kela, organisation: names.organisation });
	const { doc, provider } = connectProvider(srv.yjsUrl, meetingId, new Y.Doc(), { cookie: coordinator.cookie });
	await synced(provider);
	change(doc, () => {
		clientVoice(doc).insert(0, names.voice);
		addGoal(doc, { text: names.goal, area: 'work' });
	});
	await eventually(async () => expect((await srv.app.plan(meetingId)).goals).toHaveLength(1));
	provider.destroy();
	const access = srv.app.participation.access(coordinator.principal, meetingId);
	srv.app.followUp.set(access, { participantId: kela.participant.id, followUpDate: addMonths(helsinkiToday(), 2), followUpMode: 'call', contact: names.contact });
	await srv.app.closing.close(access, coordinator.principal, { confirmIncompleteActions: true });
});
afterAll(async () => {
	await srv?.close();
	if (srv) removeDir(srv.dataDir);
});

const text = (body: Uint8Array | string) => (typeof body === 'string' ? body : Buffer.from(body).toString('utf8'));

/** Every string in a parsed JSON value. */
function strings(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value)) return value.flatMap(strings);
	if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
	return [];
}

async function pdfText(bytes: Uint8Array): Promise<string> {
	const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
	const parts: string[] = [];
	for (let n = 1; n <= pdf.numPages; n++) {
		for (const item of (await (await pdf.getPage(n)).getTextContent()).items) if ('str' in item) parts.push(item.str);
	}
	const { info } = (await pdf.getMetadata()) as { info: { Title?: string } };
	await pdf.destroy();
	return [...parts, info.Title ?? ''].join('\n');
}

describe('control characters in exports', () => {
	it('a single-line field turns line breaks into spaces and loses the rest', () => {
		expect(cleanExportText(names.kela, false)).toBe('Åsa Sjöström DTSTART:19700101 XY[31mZ WVU T S');
		expect(cleanExportText(names.goal, true)).toBe('Palaan työhön.\nDTSTART:19700101\nXY[31mZ\nWVU\nT\nS');
		expect(cleanExportText('sarake\tsarake\r\nrivi', true)).toBe('sarake\tsarake\nrivi');
	});

	it.each(exportFormats)('none reaches the %s export, and the words still do', async (format) => {
		const file = await exportMeeting(srv.app, coordinator.principal, meetingId, format, 'fi');
		if (format === 'pdf' || format === 'plain-pdf') {
			const content = await pdfText(file.body as Uint8Array);
			expect(content).not.toMatch(forbidden);
			expect(content).toContain('Åsa Sjöström');
			expect(content).toContain('Palaan työhön.');
			return;
		}
		const body = text(file.body);
		if (format === 'ics') {
			// Every CR ends a content line (CRLF) and no line is longer than 75 octets, so folding held.
			expect(body.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
			expect(body.replace(/\r\n/g, '')).not.toMatch(forbidden);
			for (const line of body.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
			const calendar = new ICAL.Component(ICAL.parse(body) as unknown[]);
			const events = calendar.getAllSubcomponents('vevent');
			expect(events).toHaveLength(1);
			const event = new ICAL.Event(events[0]!);
			// The name's "DTSTART" stayed text inside the summary: the event's start is the follow-up date.
			expect(event.startDate.toString()).toBe(srv.app.followUp.get(meetingId)!.followUpDate);
			expect(event.summary).toContain('Åsa Sjöström DTSTART:19700101 XY[31mZ');
			expect(event.description).toContain('040 765 4321 DTSTART:19700101');
			expect(event.description).not.toMatch(forbidden);
			return;
		}
		if (format === 'json' || format === 'fhir') {
			const all = strings(JSON.parse(body));
			expect(all.filter((s) => forbidden.test(s))).toEqual([]);
			expect(body).not.toMatch(/\\u00[01][0-9a-f]|\\r|\\b|\\f/i);
			expect(all.join('\n')).toContain('Åsa Sjöström DTSTART');
			return;
		}
		expect(body).not.toMatch(forbidden);
		expect(body).toContain('Palaan työhön.');
	});

	it('the JSON export is still the hashed version, byte for byte', async () => {
		const version = srv.app.closing.version(meetingId)!;
		const file = await exportMeeting(srv.app, coordinator.principal, meetingId, 'json');
		expect(text(file.body)).toBe(version.canonical);
		expect(file.headers.etag).toBe(`"sha256-${version.hash}"`);
		expect(version.canonical).not.toMatch(/\\u00[01][0-9a-f]|\\r/i);
	});
});
