import { describe, expect, it } from 'vitest';
import { formatMeetingTime, helsinkiLocalToInstant, instantToHelsinkiLocal } from './helsinki';

describe('a time picked in a datetime-local field means Helsinki time', () => {
	it('winter time is UTC+2, summer time UTC+3', () => {
		expect(helsinkiLocalToInstant('2026-01-15T10:00')?.toISOString()).toBe('2026-01-15T08:00:00.000Z');
		expect(helsinkiLocalToInstant('2026-07-15T10:00')?.toISOString()).toBe('2026-07-15T07:00:00.000Z');
	});

	it('the hour repeated in October means the first one, still in summer time', () => {
		expect(helsinkiLocalToInstant('2026-10-25T03:30')?.toISOString()).toBe('2026-10-25T00:30:00.000Z');
		expect(helsinkiLocalToInstant('2026-10-25T04:00')?.toISOString()).toBe('2026-10-25T02:00:00.000Z');
	});

	it('the hour skipped in March moves forward by an hour', () => {
		expect(helsinkiLocalToInstant('2026-03-29T03:30')?.toISOString()).toBe('2026-03-29T01:30:00.000Z');
		expect(instantToHelsinkiLocal(helsinkiLocalToInstant('2026-03-29T03:30')!)).toBe('2026-03-29T04:30');
	});

	it('refuses what is not a date and time', () => {
		for (const value of ['', '2026-02-30T10:00', '2026-13-01T10:00', '2026-01-01T24:00', '2026-01-01 10:00', 'huomenna']) {
			expect(helsinkiLocalToInstant(value)).toBeNull();
		}
	});

	it('round-trips for prefilling the field', () => {
		expect(instantToHelsinkiLocal(new Date('2026-06-01T06:15:00Z'))).toBe('2026-06-01T09:15');
	});
});

describe('a meeting time is shown in Helsinki time, in the reader’s language', () => {
	it('whatever the time zone of the server', () => {
		expect(formatMeetingTime('2026-07-15T07:00:00.000Z', 'fi')).toContain('10.00');
		expect(formatMeetingTime('2026-07-15T07:00:00.000Z', 'sv')).toContain('10:00');
		expect(formatMeetingTime('2026-07-15T07:00:00.000Z', 'fi')).toContain('heinäkuuta');
	});
});
