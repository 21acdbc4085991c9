import { actionStatusLabel, gasLevelNumber, goalAreaLabel, sectorLabel, serviceStatusLabel, tieLabel } from '$lib/i18n/plan';
import type { GasLevel } from '$lib/meeting';
import { serviceName, type ServiceNames } from '$lib/meeting/service-names';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { formatDay } from '$lib/time/calendar';
import { monthText } from './services';

/** Which list of the plan an item of a diff belongs to. */
export type DiffCollection = 'goals' | 'actions' | 'services';

/** What the values of a diff refer to: the goals and services of the version they come from. */
export interface DiffContext {
	goals: Array<{ id: string; text: string }>;
	services: Array<{ id: string } & ServiceNames>;
}

const fieldNames: Record<string, () => string> = {
	text: m.diff_field_text,
	area: m.diff_field_area,
	order: m.diff_field_order,
	gas: m.diff_field_gas,
	goalId: m.diff_field_goal,
	serviceId: m.diff_field_service,
	ownerName: m.diff_field_owner,
	organisation: m.diff_field_organisation,
	due: m.diff_field_due,
	status: m.diff_field_status,
	name: m.diff_field_name,
	sector: m.diff_field_sector,
	provider: m.diff_field_provider,
	contact: m.diff_field_contact,
	note: m.diff_field_note,
	tie: m.diff_field_tie,
	// v3 service fields (issue #21): the planned months, and the catalogue entry behind the name.
	start: m.services_field_start,
	end: m.services_field_end,
	catalogueId: m.services_from_catalogue,
	catalogueNameFi: m.diff_field_name,
	catalogueNameSv: m.diff_field_name
};

/** The localized name of a changed field; a field this version does not know is shown as it is. */
export const diffFieldName = (field: string): string => fieldNames[field]?.() ?? field;

/** A field of an item as a reader says it ("Planned", "1.2.2027", "Goal 2: …"). */
export function diffFieldValue(collection: DiffCollection, field: string, item: object, context: DiffContext): string {
	const value = (item as Record<string, unknown>)[field];
	if (value === null || value === undefined || value === '') return m.diff_empty();
	switch (field) {
		case 'area':
			return goalAreaLabel(String(value));
		case 'status':
			return collection === 'services' ? serviceStatusLabel(String(value)) : actionStatusLabel(String(value));
		case 'sector':
			return sectorLabel(String(value));
		case 'tie':
			return tieLabel(String(value));
		case 'due':
			return formatDay(String(value), getLocale());
		case 'start':
		case 'end':
			return monthText(String(value), getLocale());
		case 'goalId': {
			const index = context.goals.findIndex((goal) => goal.id === value);
			return index === -1 ? m.diff_empty() : m.diff_goal_ref({ number: String(index + 1), text: context.goals[index]!.text });
		}
		case 'serviceId': {
			const service = context.services.find((s) => s.id === value);
			return (service && serviceName(service, getLocale())) || m.diff_empty();
		}
		case 'gas':
			return Object.entries(value as Record<string, string>)
				.sort(([a], [b]) => Number(a) - Number(b))
				.map(([level, text]) => `${gasLevelNumber(level as GasLevel)}: ${text}`)
				.join('; ');
		default:
			return typeof value === 'string' ? value : JSON.stringify(value);
	}
}

/** The name of an item in a diff: a goal's or an action's text, a service's name. */
export function diffItemName(item: unknown): string {
	const record = item as { text?: unknown; name?: unknown };
	// A catalogue service by its name in the reader's language (issue #21 item 7).
	const name =
		typeof record.text === 'string' ? record.text : typeof record.name === 'string' ? serviceName(record as ServiceNames, getLocale()) : '';
	return name.trim() || m.diff_unnamed();
}
