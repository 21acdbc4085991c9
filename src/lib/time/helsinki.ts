/**
 * Meetings happen in Finland: times are entered and shown in Europe/Helsinki, whatever the time zone
 * of the server or the viewer's device (issue #7), and spelled in the viewer's own language.
 */
export const meetingTimeZone = 'Europe/Helsinki';

const localPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** The zone's offset from UTC at an instant, in milliseconds (EET +2 h, EEST +3 h). */
function offsetAt(instant: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit'
	}).formatToParts(new Date(instant));
	const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
	const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
	return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant of a wall-clock time in Helsinki, from an `<input type="datetime-local">` value
 * (`YYYY-MM-DDTHH:mm`); null when it is not a real date and time.
 *
 * Daylight saving time is resolved the way Temporal's `disambiguation: 'compatible'` does: a time
 * that occurs twice (the last Sunday of October, 03:00–03:59) means the first one, in summer time; a
 * time that does not exist (the last Sunday of March, 03:00–03:59) moves forward by the hour skipped.
 */
export function helsinkiLocalToInstant(local: string, timeZone = meetingTimeZone): Date | null {
	const match = localPattern.exec(local);
	if (!match) return null;
	const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
	const wall = Date.UTC(year, month - 1, day, hour, minute);
	const check = new Date(wall);
	if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) return null;

	const day_ = 24 * 60 * 60 * 1000;
	const before = offsetAt(wall - day_, timeZone);
	const after = offsetAt(wall + day_, timeZone);
	const candidates = [wall - before, wall - after].filter((instant) => offsetAt(instant, timeZone) === wall - instant);
	// Both valid: the repeated hour; take the earlier instant. Neither: the skipped hour; the offset
	// in force before the change carries the time forward.
	const instant = candidates.length > 0 ? Math.min(...candidates) : wall - before;
	return new Date(instant);
}

/** An instant as `YYYY-MM-DDTHH:mm` in Helsinki, for prefilling a `datetime-local` input. */
export function instantToHelsinkiLocal(instant: Date, timeZone = meetingTimeZone): string {
	const shifted = new Date(instant.getTime() + offsetAt(instant.getTime(), timeZone));
	return shifted.toISOString().slice(0, 16);
}

/** A meeting's date and time in the viewer's language, in Helsinki time. */
export function formatMeetingTime(iso: string, locale: string): string {
	return new Intl.DateTimeFormat(locale, {
		timeZone: meetingTimeZone,
		weekday: 'long',
		day: 'numeric',
		month: 'long',
		year: 'numeric',
		hour: '2-digit',
		minute: '2-digit'
	}).format(new Date(iso));
}

/** A moment in a log (the audit trail), short but to the second, in Helsinki time. */
export function formatLogTime(iso: string, locale: string): string {
	return new Intl.DateTimeFormat(locale, {
		timeZone: meetingTimeZone,
		day: 'numeric',
		month: 'numeric',
		year: 'numeric',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit'
	}).format(new Date(iso));
}

/** A clock time (`14.05`, `14:05`) in Helsinki, for "try again after …". */
export function formatClockTime(instant: Date, locale: string): string {
	return new Intl.DateTimeFormat(locale, { timeZone: meetingTimeZone, hour: '2-digit', minute: '2-digit' }).format(instant);
}
