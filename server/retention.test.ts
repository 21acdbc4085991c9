import { describe, expect, it } from 'vitest';
import { pathRetention } from './retention.js';

const rule = { retentionDays: 90, idleDays: 180 };
let counter = 0;
const meeting = (kind: string, closedAt: string | null, followUpDate: string | null = null) => ({
	id: `m${++counter}`,
	path_id: 'p',
	kind,
	closed_at: closedAt,
	follow_up_date: followUpDate,
	created_at: '2026-01-01T08:00:00.000Z'
});

describe('pathRetention: when a service path ends and is deleted (docs/retention.md)', () => {
	it('schedules nothing while a meeting of the path is open', () => {
		expect(pathRetention([meeting('first', '2026-01-10T10:00:00.000Z', '2026-03-01'), meeting('follow_up', null)], rule)).toEqual({
			state: 'open',
			endsAt: null,
			deleteAfter: null,
			...rule
		});
	});

	it('waits PATH_IDLE_DAYS after the follow-up date, to Helsinki midnights, across daylight saving time', () => {
		const path = [meeting('first', '2026-01-10T10:00:00.000Z', '2026-03-01')];
		// 2026-03-01 + 180 days = 2026-08-28: ends at the midnight after it (EEST, UTC+3); deleted 90
		// calendar days later, at the midnight of 2026-11-27 (EET, UTC+2).
		const expected = { endsAt: '2026-08-28T21:00:00.000Z', deleteAfter: '2026-11-26T22:00:00.000Z' };
		expect(pathRetention(path, rule, new Date('2026-08-28T20:59:59.999Z'))).toEqual({ state: 'awaiting_follow_up', ...expected, ...rule });
		expect(pathRetention(path, rule, new Date('2026-08-28T21:00:00.000Z'))).toEqual({ state: 'ended', ...expected, ...rule });
	});

	it('starts the idle time at the close when the follow-up date had already passed', () => {
		const path = [meeting('first', '2026-05-20T09:00:00.000Z', '2026-05-01')];
		expect(pathRetention(path, rule).endsAt).toBe('2026-11-16T22:00:00.000Z');
	});

	it('ends when its closing meeting closes; a meeting closed after the closing meeting decides instead', () => {
		const first = meeting('first', '2026-01-10T10:00:00.000Z', '2026-03-01');
		const closing = meeting('closing', '2026-06-01T12:00:00.000Z', '2026-07-01');
		expect(pathRetention([first, closing], rule, new Date('2026-06-02T00:00:00.000Z'))).toEqual({
			state: 'ended',
			endsAt: '2026-06-01T12:00:00.000Z',
			deleteAfter: '2026-08-30T12:00:00.000Z',
			...rule
		});
		const after = meeting('follow_up', '2026-06-10T12:00:00.000Z', '2026-08-01');
		expect(pathRetention([first, closing, after], rule, new Date('2026-06-11T00:00:00.000Z'))).toMatchObject({
			state: 'awaiting_follow_up',
			endsAt: '2027-01-28T22:00:00.000Z'
		});
	});
});
