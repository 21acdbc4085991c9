/**
 * How a service is named and dated for a reader, without Yjs (docs/document-model.md, v3): the
 * summary and history pages read plan JSON, not documents, and need not load Yjs for this.
 */
import type { Service } from './services';

/** The fields that name a service, as a live document, a plan JSON or an older plan version holds them. */
export type ServiceNames = Pick<Service, 'name' | 'catalogueId' | 'catalogueNameFi' | 'catalogueNameSv'>;

/**
 * The name a reader sees, in their language (issue #21 item 7): a catalogue service by the catalogue's
 * name (Swedish for `sv` when the entry has one, else Finnish, the catalogue's base language, also for
 * English); a free-text service as written.
 */
export function serviceName(service: ServiceNames, locale: string): string {
	if (service.catalogueId) {
		if (locale === 'sv' && service.catalogueNameSv) return service.catalogueNameSv;
		if (service.catalogueNameFi) return service.catalogueNameFi;
	}
	return service.name;
}

/** The same services with `name` as the reader sees it (for lists, maps, exports in one language). */
export function localizeServices<T extends ServiceNames>(services: T[], locale: string): T[] {
	return services.map((service) => (service.catalogueId ? { ...service, name: serviceName(service, locale) } : service));
}

/** A month as the document stores it: `YYYY-MM`, a real month of the years 1900–2199. */
export const monthPattern = /^(19|20|21)\d{2}-(0[1-9]|1[0-2])$/;

export type MonthsProblem = 'start_invalid' | 'end_invalid' | 'end_before_start';

/**
 * Checks a service's planned months: each empty (not set) or `YYYY-MM`, and the end not before the
 * start. Returns the first problem, or null when both may be written.
 */
export function checkServiceMonths(start: string, end: string): MonthsProblem | null {
	if (start && !monthPattern.test(start)) return 'start_invalid';
	if (end && !monthPattern.test(end)) return 'end_invalid';
	if (start && end && end < start) return 'end_before_start';
	return null;
}

