import { m } from '../paraglide/messages.js';
import type { Locale } from '../paraglide/runtime.js';
import type {
	Access,
	AccountRole,
	ConsentOrganisation,
	ParticipantRole,
	Presence
} from '../protocol/participants.js';
import type { Phase } from '../protocol/agenda.js';

/**
 * A catalog message without inputs: called with no locale on a page (the reader's language), with an
 * explicit `{ locale }` in an export (the meeting's language, whatever language the server runs in).
 */
export type Label = (inputs?: Record<string, never>, options?: { locale?: Locale }) => string;

/**
 * Localized names of the protocol's enumerations (GLOSSARY.md's words): the one table of each, for
 * the pages and the exports (server/exports/labels.ts) alike. Each mapping lists every value, so
 * TypeScript refuses a new role until it has a name in the catalogs.
 */
const roles: Record<ParticipantRole, Label> = {
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

const presences: Record<Presence, Label> = {
	room: m.presence_room,
	remote: m.presence_remote
};

const accessLevels: Record<Access, Label> = {
	edit: m.access_edit,
	view: m.access_view
};

const accountRoles: Record<AccountRole, Label> = {
	coordinator: m.account_role_coordinator,
	professional: m.account_role_professional
};

const consentOrganisations: Record<ConsentOrganisation, Label> = {
	health: m.consent_org_health,
	social: m.consent_org_social,
	employment: m.consent_org_employment,
	kela: m.consent_org_kela,
	education: m.consent_org_education,
	third_sector: m.consent_org_third_sector
};

const languages: Record<'fi' | 'sv' | 'en', Label> = {
	fi: m.language_fi,
	sv: m.language_sv,
	en: m.language_en
};

/**
 * A table's label for a value, in the current locale or in `locale`. Unknown values (a newer client's
 * word, an old record) are shown as they are, never crash the page or the export.
 */
export const lookup =
	<K extends string>(table: Record<K, Label>, locale?: Locale) =>
	(value: string): string =>
		Object.hasOwn(table, value) ? table[value as K]({}, locale ? { locale } : {}) : value;

/** The protocol's tables, for an export that names values in the meeting's language. */
/** The agenda's steps (DESIGN.md): the room's agenda rail and the audit trail's phase changes. */
const phases: Record<Phase, Label> = {
	introductions: m.phase_introductions,
	client_voice: m.phase_client_voice,
	perspectives: m.phase_perspectives,
	service_map: m.phase_service_map,
	plan: m.phase_plan,
	responsible_worker: m.phase_responsible_worker,
	close: m.phase_close
};

export const protocolLabels = { roles, presences, accessLevels, accountRoles, consentOrganisations, languages, phases };

export const roleLabel = lookup(roles);
export const presenceLabel = lookup(presences);
export const accessLabel = lookup(accessLevels);
export const accountRoleLabel = lookup(accountRoles);
export const consentOrganisationLabel = lookup(consentOrganisations);
export const languageLabel = lookup(languages);

/**
 * A participant's name as everyone sees it: the coordinator's record, with the name a guest chose when
 * joining beside it, never instead of it ("Liisa Äijälä (itse: Lisse)"; issue #20 item 8).
 */
export function participantName(person: { name: string; chosenName?: string | null }, locale?: Locale): string {
	if (!person.chosenName) return person.name;
	return m.participant_chosen_name({ name: person.name, chosen: person.chosenName }, locale ? { locale } : undefined);
}
