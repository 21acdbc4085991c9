import { m } from '../../src/lib/paraglide/messages.js';
import { lookup, participantName, protocolLabels } from '../../src/lib/i18n/labels.js';
import { vocabularyLabels } from '../../src/lib/i18n/plan.js';

/** The languages an export can be written in: the meeting's language unless the reader asks otherwise. */
export const exportLocales = ['fi', 'sv', 'en'] as const;
export type ExportLocale = (typeof exportLocales)[number];

export const isExportLocale = (value: unknown): value is ExportLocale =>
	typeof value === 'string' && (exportLocales as readonly string[]).includes(value);

/** BCP 47 tags for the document language of a PDF and for Intl: Finnish and Swedish as used in Finland. */
export const languageTag: Record<ExportLocale, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

/*
 * The pages' tables (src/lib/i18n/plan.ts and labels.ts), called with an explicit locale: an export
 * is written in the meeting's language, whatever language the server runs in.
 */
const { sectors, serviceStatuses, ties, goalAreas, actionStatuses, gasLevels, followUpModes } = vocabularyLabels;
const { roles, consentOrganisations } = protocolLabels;

/** "−2" … "+2" with a real minus sign, as on Kela's GAS form. */
export const signed = (value: number | string): string => {
	const n = Number(value);
	return n < 0 ? `−${Math.abs(n)}` : n > 0 ? `+${n}` : '0';
};

/** A calendar date (`YYYY-MM-DD`) as the reader writes it: 1.2.2027 (fi, sv), 1 Feb 2027 (en). */
export function formatDate(date: string, locale: ExportLocale): string {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
	return new Intl.DateTimeFormat(languageTag[locale], {
		timeZone: 'UTC',
		day: 'numeric',
		month: locale === 'en' ? 'short' : 'numeric',
		year: 'numeric'
	}).format(new Date(`${date}T12:00:00Z`));
}

/** An instant as a date and time in Helsinki, in the reader's language. */
export function formatInstant(iso: string, locale: ExportLocale): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return iso;
	return new Intl.DateTimeFormat(languageTag[locale], {
		timeZone: 'Europe/Helsinki',
		day: 'numeric',
		month: locale === 'en' ? 'short' : 'numeric',
		year: 'numeric',
		hour: '2-digit',
		minute: '2-digit'
	}).format(date);
}

/** Every label an export needs, in one language. */
export function labelsFor(locale: ExportLocale) {
	const role = lookup(roles, locale);
	return {
		locale,
		sector: lookup(sectors, locale),
		serviceStatus: lookup(serviceStatuses, locale),
		tie: lookup(ties, locale),
		goalArea: lookup(goalAreas, locale),
		actionStatus: lookup(actionStatuses, locale),
		gasLevel: lookup(gasLevels, locale),
		role,
		/** The coordinator's record of a person, with a guest's own chosen name beside it. */
		person: (person: { name: string; chosenName?: string | null }) => participantName(person, locale),
		/** "Kela" once, not "Kela, Kela", when the organisation is named like the role. */
		roleAt: (value: string, organisation: string) => {
			const label = value ? role(value) : '';
			const same = organisation.trim().toLocaleLowerCase('fi') === label.toLocaleLowerCase('fi');
			return [label, same ? '' : organisation.trim()].filter(Boolean).join(', ');
		},
		followUpMode: lookup(followUpModes, locale),
		consentOrganisation: lookup(consentOrganisations, locale),
		/**
		 * The consent's scope in words: the organisations, or "not shared" when the client chose none
		 * (a recorded answer, never shown as given consent), or that none was recorded.
		 */
		consentScope: (consent: { organisations: string[] } | null) =>
			!consent
				? m.record_consent_missing({}, { locale })
				: consent.organisations.length === 0
					? m.record_not_shared({}, { locale })
					: consent.organisations.map(lookup(consentOrganisations, locale)).join(', '),
		date: (date: string) => formatDate(date, locale),
		instant: (iso: string) => formatInstant(iso, locale)
	};
}

export type Labels = ReturnType<typeof labelsFor>;
