import { m } from '../paraglide/messages.js';
import type { MonthsProblem } from '../meeting/service-names.js';
import { formatMonth } from '../time/calendar.js';

type Locale = 'fi' | 'sv' | 'en';

/** A planned month (`YYYY-MM`) as a reader says it ("maalisk. 2027", "mars 2027", "Mar 2027"). */
export const monthText = (month: string, locale: string): string => formatMonth(`${month}-01`, locale);

/**
 * A service's planned months in words, or '' when neither is set: the room's lists, the timeline and
 * the exports say them the same way. `locale` is explicit so that an export can use its own.
 */
export function serviceMonthsText(service: { start?: string; end?: string }, locale: Locale): string {
	const options = { locale };
	const start = service.start ? monthText(service.start, locale) : '';
	const end = service.end ? monthText(service.end, locale) : '';
	if (start && end) return m.services_months_range({ start, end }, options);
	if (start) return m.services_months_from({ start }, options);
	if (end) return m.services_months_until({ end }, options);
	return '';
}

/** The error a person sees when planned months cannot be saved. */
export function monthsProblemText(problem: MonthsProblem): string {
	switch (problem) {
		case 'start_invalid':
			return m.services_months_error_start_invalid();
		case 'end_invalid':
			return m.services_months_error_end_invalid();
		case 'end_before_start':
			return m.services_months_error_end_before_start();
	}
}
