import { m } from '$lib/paraglide/messages';
import type {
	Access,
	AccountRole,
	ConsentOrganisation,
	ParticipantRole,
	Presence
} from '$lib/protocol/participants';

/**
 * Localized names of the protocol's enumerations (GLOSSARY.md's words). Each mapping lists every
 * value, so TypeScript refuses a new role or sector until it has a name in the catalogs.
 */
const roles: Record<ParticipantRole, () => string> = {
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

const presences: Record<Presence, () => string> = {
	room: m.presence_room,
	remote: m.presence_remote
};

const accessLevels: Record<Access, () => string> = {
	edit: m.access_edit,
	view: m.access_view
};

const accountRoles: Record<AccountRole, () => string> = {
	coordinator: m.account_role_coordinator,
	professional: m.account_role_professional
};

const consentOrganisations: Record<ConsentOrganisation, () => string> = {
	health: m.consent_org_health,
	social: m.consent_org_social,
	employment: m.consent_org_employment,
	kela: m.consent_org_kela,
	education: m.consent_org_education,
	third_sector: m.consent_org_third_sector
};

const languages: Record<'fi' | 'sv' | 'en', () => string> = {
	fi: m.language_fi,
	sv: m.language_sv,
	en: m.language_en
};

/** Unknown values (a newer server, an old record) are shown as they are, never crash the page. */
const lookup =
	<K extends string>(table: Record<K, () => string>) =>
	(value: string): string =>
		Object.hasOwn(table, value) ? table[value as K]() : value;

export const roleLabel = lookup(roles);
export const presenceLabel = lookup(presences);
export const accessLabel = lookup(accessLevels);
export const accountRoleLabel = lookup(accountRoles);
export const consentOrganisationLabel = lookup(consentOrganisations);
export const languageLabel = lookup(languages);
