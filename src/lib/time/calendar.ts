/**
 * Calendar dates (`YYYY-MM-DD`) of the follow-up plan: due dates and the follow-up date are Finnish
 * calendar days, without a time of day. Arithmetic happens in UTC so that no device's time zone or
 * daylight saving shifts a day.
 */
const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const dayMs = 24 * 60 * 60 * 1000;

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(value: string): boolean {
	if (!isoDate.test(value)) return false;
	const parsed = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

/** The calendar day of an instant in Helsinki (today by default), `YYYY-MM-DD`. */
export function helsinkiDay(instant: Date = new Date()): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
		instant
	);
}

/**
 * `date` plus `months` calendar months, clamped to the month's last day (31 Jan + 1 → 28/29 Feb);
 * the follow-up rule (src/lib/meeting/follow-up-rule.ts) counts its three months with it.
 */
export function addMonths(date: string, months: number): string {
	const [y, m, d] = date.split('-').map(Number) as [number, number, number];
	const target = new Date(Date.UTC(y, m - 1 + months, 1));
	const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
	target.setUTCDate(Math.min(d, lastDay));
	return target.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
	return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs);
}

/**
 * The conventions of the language as written in Finland: Finland-Swedish writes dates as 12.5.2026,
 * not as Sweden's 2026-05-12; English uses the British day-month order.
 */
const regional = (locale: string) => ({ fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' })[locale] ?? locale;

/** A calendar date in the reader's language, e.g. "12.5.2026" (fi, sv), "12 May 2026" (en). */
export function formatDay(date: string, locale: string): string {
	if (!isCalendarDate(date)) return date;
	return new Intl.DateTimeFormat(regional(locale), {
		timeZone: 'UTC',
		day: 'numeric',
		month: locale === 'en' ? 'short' : 'numeric',
		year: 'numeric'
	}).format(new Date(`${date}T12:00:00Z`));
}

/** A month's short name and year for a timeline axis, e.g. "touko 2026". */
export function formatMonth(date: string, locale: string): string {
	return new Intl.DateTimeFormat(regional(locale), { timeZone: 'UTC', month: 'short', year: 'numeric' }).format(new Date(`${date}T12:00:00Z`));
}

/** The first days of the months from `from`'s month up to `to`, for the ticks of a date axis. */
export function monthStarts(from: string, to: string): string[] {
	const starts: string[] = [];
	let current = `${from.slice(0, 7)}-01`;
	if (current < from) current = addMonths(current, 1);
	while (current <= to && starts.length < 60) {
		starts.push(current);
		current = addMonths(current, 1);
	}
	return starts;
}
