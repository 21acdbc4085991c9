import { describe, expect, it } from 'vitest';
import { followUpDateProblem, followUpWindow } from './follow-up-rule';

describe('the follow-up rule: at the latest three months after the meeting', () => {
	it('counts three calendar months from the meeting day, clamped to the end of a shorter month', () => {
		const now = new Date('2026-10-01T09:00:00Z');
		expect(followUpWindow('2026-11-30T10:00:00Z', now).latest).toBe('2027-02-28');
		expect(followUpWindow('2026-10-31T10:00:00Z', now).latest).toBe('2027-01-31');
		expect(followUpWindow('2026-11-15T10:00:00Z', now).latest).toBe('2027-02-15');
	});

	it('reaches 29 February in a leap year', () => {
		const now = new Date('2027-10-01T09:00:00Z');
		expect(followUpWindow('2027-11-30T10:00:00Z', now).latest).toBe('2028-02-29');
		expect(followUpWindow('2027-11-29T10:00:00Z', now).latest).toBe('2028-02-29');
	});

	it('takes the meeting day and today as Helsinki calendar days, not UTC ones', () => {
		// 22:30 UTC on 30 November is already 1 December in Helsinki (UTC+2).
		const now = new Date('2026-11-01T12:00:00Z');
		expect(followUpWindow('2026-11-30T22:30:00Z', now).latest).toBe('2027-03-01');
		expect(followUpWindow('2026-11-30T21:59:00Z', now).latest).toBe('2027-02-28');
		// In summer Helsinki is UTC+3: 21:00 UTC on 31 May is 1 June there, so today is 1 June.
		expect(followUpWindow(null, new Date('2026-05-31T21:00:00Z'))).toMatchObject({ earliest: '2026-06-01', latest: '2026-09-01' });
	});

	it('counts from today when the meeting day has passed or is not set', () => {
		const now = new Date('2026-03-10T08:00:00Z');
		expect(followUpWindow('2026-01-05T10:00:00Z', now)).toEqual({ earliest: '2026-03-10', latest: '2026-06-10', suggestion: '2026-05-10' });
		expect(followUpWindow(null, now)).toEqual({ earliest: '2026-03-10', latest: '2026-06-10', suggestion: '2026-05-10' });
	});

	it('says what is wrong with a date: its form, the past, or beyond the latest day', () => {
		const window = followUpWindow('2026-11-30T10:00:00Z', new Date('2026-11-20T10:00:00Z'));
		expect(followUpDateProblem('2027-02-28', window)).toBeNull();
		expect(followUpDateProblem('2026-11-20', window)).toBeNull();
		expect(followUpDateProblem('2027-03-01', window)).toBe('late');
		expect(followUpDateProblem('2026-11-19', window)).toBe('past');
		for (const bad of ['2027-02-30', '28.2.2027', '2027-2-28', '']) expect(followUpDateProblem(bad, window)).toBe('format');
	});
});
