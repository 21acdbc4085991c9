import * as Y from 'yjs';
import { change, mapEntries, str, top } from './document';
import { byOrder, keyAt, newId } from './order';
import { checkServiceMonths, monthPattern, type MonthsProblem } from './service-names';
import { fallbacks, readEnum, sectors, serviceStatuses, ties, type Sector, type ServiceStatus, type Tie } from './vocabulary';

/** A service on the client's service map (palvelukartta). */
export interface Service {
	id: string;
	name: string;
	sector: Sector;
	status: ServiceStatus;
	provider: string;
	contact: string;
	note: string;
	/** The quality of the client's tie to this service (ecomap line). */
	tie: Tie;
	order: string;
	/**
	 * v3: the regional catalogue entry the service was chosen from, with the entry's names as they were
	 * when chosen (so a closed plan and every export stay readable if the catalogue changes later).
	 * Present only for a catalogue service; a free-text service has none of the three.
	 */
	catalogueId?: string;
	catalogueNameFi?: string;
	catalogueNameSv?: string;
	/** v3: planned first and last month (`YYYY-MM`, both inclusive); present only when set. */
	start?: string;
	end?: string;
}

export type ServiceInput = Partial<Omit<Service, 'id' | 'order'>> & { name: string };

// Pure helpers without Yjs, so that pages that only read plans (the summary, the history) can use them.
export * from './service-names';

/** Reads an optional string field: present in the result only when it is a non-empty string. */
const optional = (map: Y.Map<unknown>, key: string): string | undefined => {
	const value = map.get(key);
	return typeof value === 'string' && value ? value : undefined;
};

/** A month field: a value that is not a valid month reads as not set. */
const month = (map: Y.Map<unknown>, key: string): string | undefined => {
	const value = optional(map, key);
	return value && monthPattern.test(value) ? value : undefined;
};

function readService(id: string, map: Y.Map<unknown>): Service {
	return {
		id: str(map, 'id', id),
		name: str(map, 'name'),
		sector: readEnum(map.get('sector'), sectors, fallbacks.sector),
		status: readEnum(map.get('status'), serviceStatuses, fallbacks.serviceStatus),
		provider: str(map, 'provider'),
		contact: str(map, 'contact'),
		note: str(map, 'note'),
		tie: readEnum(map.get('tie'), ties, fallbacks.tie),
		order: str(map, 'order'),
		// v3 fields only when set, so that a plan without them reads (and hashes, and compares) as before.
		...present({
			catalogueId: optional(map, 'catalogueId'),
			catalogueNameFi: optional(map, 'catalogueNameFi'),
			catalogueNameSv: optional(map, 'catalogueNameSv'),
			start: month(map, 'start'),
			end: month(map, 'end')
		})
	};
}

const present = (fields: Record<string, string | undefined>): Record<string, string> =>
	Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined));

/** The services in their agreed order. */
export function readServices(doc: Y.Doc): Service[] {
	return [...mapEntries(top.services(doc))].map(([id, map]) => readService(id, map)).sort(byOrder);
}

/** Adds a service at `index` in the order (default: last); returns its id. */
export function addService(doc: Y.Doc, input: ServiceInput, index?: number): string {
	return change(doc, () => {
		const sorted = readServices(doc);
		const id = newId();
		const map = new Y.Map<unknown>();
		map.set('id', id);
		map.set('name', input.name);
		map.set('sector', input.sector ?? 'other');
		map.set('status', input.status ?? 'current');
		map.set('provider', input.provider ?? '');
		map.set('contact', input.contact ?? '');
		map.set('note', input.note ?? '');
		map.set('tie', input.tie ?? 'moderate');
		map.set('order', keyAt(sorted, index ?? sorted.length));
		if (input.catalogueId) {
			map.set('catalogueId', input.catalogueId);
			map.set('catalogueNameFi', input.catalogueNameFi ?? '');
			map.set('catalogueNameSv', input.catalogueNameSv ?? '');
		}
		if (input.start && monthPattern.test(input.start)) map.set('start', input.start);
		if (input.end && monthPattern.test(input.end) && !(input.start && input.end < input.start)) map.set('end', input.end);
		top.services(doc).set(id, map);
		return id;
	});
}

/** Changes fields of a service; each field merges independently with concurrent edits. */
export function updateService(doc: Y.Doc, id: string, patch: Partial<Omit<Service, 'id' | 'order'>>): boolean {
	const map = top.services(doc).get(id);
	if (!(map instanceof Y.Map)) return false;
	change(doc, () => {
		for (const [key, value] of Object.entries(patch)) if (value !== undefined) map.set(key, value);
	});
	return true;
}

/**
 * Renames a service as the person typed it. A catalogue service becomes a free-text one: its name is
 * now the person's words, which no catalogue translates.
 */
export function renameService(doc: Y.Doc, id: string, name: string): boolean {
	const map = top.services(doc).get(id);
	if (!(map instanceof Y.Map)) return false;
	change(doc, () => {
		map.set('name', name);
		for (const key of ['catalogueId', 'catalogueNameFi', 'catalogueNameSv']) if (map.has(key)) map.delete(key);
	});
	return true;
}

/**
 * Sets a service's planned months (`YYYY-MM`; '' clears one). Bad input writes nothing and returns the
 * problem; null when written.
 */
export function setServiceMonths(doc: Y.Doc, id: string, months: { start: string; end: string }): MonthsProblem | 'not_found' | null {
	const start = months.start.trim();
	const end = months.end.trim();
	const problem = checkServiceMonths(start, end);
	if (problem) return problem;
	const map = top.services(doc).get(id);
	if (!(map instanceof Y.Map)) return 'not_found';
	change(doc, () => {
		for (const [key, value] of [['start', start], ['end', end]] as const) {
			if (value) {
				if (map.get(key) !== value) map.set(key, value);
			} else if (map.has(key)) map.delete(key);
		}
	});
	return null;
}

export function removeService(doc: Y.Doc, id: string): boolean {
	if (!top.services(doc).has(id)) return false;
	change(doc, () => top.services(doc).delete(id));
	return true;
}

/** Moves a service to `index` among the others (0 = first). */
export function moveService(doc: Y.Doc, id: string, index: number): boolean {
	const map = top.services(doc).get(id);
	if (!(map instanceof Y.Map)) return false;
	change(doc, () => map.set('order', keyAt(readServices(doc).filter((s) => s.id !== id), index)));
	return true;
}
