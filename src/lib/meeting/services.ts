import * as Y from 'yjs';
import { change, mapEntries, str, top } from './document';
import { byOrder, keyAt, newId } from './order';
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
}

export type ServiceInput = Partial<Omit<Service, 'id' | 'order'>> & { name: string };

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
		order: str(map, 'order')
	};
}

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
