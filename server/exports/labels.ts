import { m } from '../../src/lib/paraglide/messages.js';
import type { ActionStatus, GasLevel, GoalArea, Sector, ServiceStatus, Tie } from '../../src/lib/meeting/vocabulary.js';
import type { ConsentOrganisation, ParticipantRole } from '../../src/lib/protocol/participants.js';

/** The languages an export can be written in: the meeting's language unless the reader asks otherwise. */
export const exportLocales = ['fi', 'sv', 'en'] as const;
export type ExportLocale = (typeof exportLocales)[number];

export const isExportLocale = (value: unknown): value is ExportLocale =>
	typeof value === 'string' && (exportLocales as readonly string[]).includes(value);

/** BCP 47 tags for the document language of a PDF and for Intl: Finnish and Swedish as used in Finland. */
export const languageTag: Record<ExportLocale, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

type Message = (inputs?: Record<string, never>, options?: { locale?: ExportLocale }) => string;

/*
 * The same catalog entries as the pages (src/lib/i18n/plan.ts and labels.ts), called with an explicit
 * locale: an export is written in the meeting's language, whatever language the server runs in.
 */
const sectors: Record<Sector, Message> = {
	health: m.sector_health,
	social: m.sector_social,
	employment: m.sector_employment,
	kela: m.sector_kela,
	education: m.sector_education,
	third_sector: m.sector_third_sector,
	other: m.sector_other
};

const serviceStatuses: Record<ServiceStatus, Message> = {
	current: m.service_status_current,
	planned: m.service_status_planned,
	ended: m.service_status_ended,
	suggested: m.service_status_suggested
};

const ties: Record<Tie, Message> = {
	strong: m.tie_strong,
	moderate: m.tie_moderate,
	tenuous: m.tie_tenuous,
	stressful: m.tie_stressful
};

const goalAreas: Record<GoalArea, Message> = {
	work: m.goal_area_work,
	education: m.goal_area_education,
	health: m.goal_area_health,
	social: m.goal_area_social,
	finances: m.goal_area_finances,
	everyday: m.goal_area_everyday,
	other: m.goal_area_other
};

const actionStatuses: Record<ActionStatus, Message> = {
	todo: m.action_status_todo,
	doing: m.action_status_doing,
	done: m.action_status_done
};

const gasLevels: Record<GasLevel, Message> = {
	'-2': m.gas_level_minus_2,
	'-1': m.gas_level_minus_1,
	'0': m.gas_level_0,
	'1': m.gas_level_plus_1,
	'2': m.gas_level_plus_2
};

const roles: Record<ParticipantRole, Message> = {
	client: m.role_client,
	coordinator: m.role_coordinator,
	nurse: m.role_nurse,
	social_worker: m.role_social_worker,
	doctor: m.role_doctor,
	employment: m.role_employment,
	kela: m.role_kela,
	third_sector: m.role_third_sector,
	peer_supporter: m.role_peer_supporter,
	other: m.role_other
};

const consentOrganisations: Record<ConsentOrganisation, Message> = {
	health: m.consent_org_health,
	social: m.consent_org_social,
	employment: m.consent_org_employment,
	kela: m.consent_org_kela,
	education: m.consent_org_education,
	third_sector: m.consent_org_third_sector
};

const followUpModes: Record<'visit' | 'call', Message> = {
	visit: m.follow_up_visit,
	call: m.follow_up_call
};

/** A label, or the value itself when a newer client wrote a word this version does not know. */
const lookup =
	<K extends string>(table: Record<K, Message>, locale: ExportLocale) =>
	(value: string): string =>
		Object.hasOwn(table, value) ? table[value as K]({}, { locale }) : value;

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
