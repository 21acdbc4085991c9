import { m } from '../paraglide/messages.js';
import type { ActionStatus, GasLevel, GoalArea, Sector, ServiceStatus, Tie } from '../meeting/vocabulary.js';
import { lookup, type Label } from './labels.js';

/**
 * Localized names of the meeting document's vocabularies (GLOSSARY.md's words): the one table of
 * each, for the pages and, with an explicit locale, the exports. Each table lists
 * every value, so TypeScript refuses a new sector or status until it has a name in the catalogs.
 */
const sectors: Record<Sector, Label> = {
	health: m.sector_health,
	social: m.sector_social,
	employment: m.sector_employment,
	kela: m.sector_kela,
	education: m.sector_education,
	third_sector: m.sector_third_sector,
	other: m.sector_other
};

const serviceStatuses: Record<ServiceStatus, Label> = {
	current: m.service_status_current,
	planned: m.service_status_planned,
	ended: m.service_status_ended,
	suggested: m.service_status_suggested
};

const ties: Record<Tie, Label> = {
	strong: m.tie_strong,
	moderate: m.tie_moderate,
	tenuous: m.tie_tenuous,
	stressful: m.tie_stressful
};

const tieHints: Record<Tie, Label> = {
	strong: m.tie_strong_line,
	moderate: m.tie_moderate_line,
	tenuous: m.tie_tenuous_line,
	stressful: m.tie_stressful_line
};

const goalAreas: Record<GoalArea, Label> = {
	work: m.goal_area_work,
	education: m.goal_area_education,
	health: m.goal_area_health,
	social: m.goal_area_social,
	finances: m.goal_area_finances,
	everyday: m.goal_area_everyday,
	other: m.goal_area_other
};

const actionStatuses: Record<ActionStatus, Label> = {
	todo: m.action_status_todo,
	doing: m.action_status_doing,
	done: m.action_status_done
};

const gasLevels: Record<GasLevel, Label> = {
	'-2': m.gas_level_minus_2,
	'-1': m.gas_level_minus_1,
	'0': m.gas_level_0,
	'1': m.gas_level_plus_1,
	'2': m.gas_level_plus_2
};

const followUpModes: Record<'visit' | 'call', Label> = {
	visit: m.follow_up_visit,
	call: m.follow_up_call
};

/** The document's tables, for an export that names values in the meeting's language. */
export const vocabularyLabels = { sectors, serviceStatuses, ties, tieHints, goalAreas, actionStatuses, gasLevels, followUpModes };

export const sectorLabel = lookup(sectors);
export const serviceStatusLabel = lookup(serviceStatuses);
export const tieLabel = lookup(ties);
/** How the map draws a tie ("thick solid line"), said in words next to the line itself. */
export const tieLineLabel = lookup(tieHints);
export const goalAreaLabel = lookup(goalAreas);
export const actionStatusLabel = lookup(actionStatuses);
export const gasLevelLabel = lookup(gasLevels);
export const followUpModeLabel = lookup(followUpModes);

/** "−2" … "+2" with a real minus sign, as on Kela's GAS form. */
export const gasLevelNumber = (level: GasLevel): string => (level.startsWith('-') ? `−${level.slice(1)}` : level === '0' ? '0' : `+${level}`);
