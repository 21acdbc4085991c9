import { randomBytes } from 'node:crypto';
import { sectors, type Sector } from '../src/lib/meeting/vocabulary.js';
import { defaultCatalogue } from './catalogue-defaults.js';
import type { Db } from './db/database.js';
import { DomainError, refusal } from './errors.js';
import type { Principal } from './policy.js';

/** A service of the region's catalogue, offered when adding a service to a map. */
export interface CatalogueEntry {
	id: string;
	sector: Sector;
	nameFi: string;
	nameSv: string;
	provider: string;
	contact: string;
	descriptionFi: string;
	descriptionSv: string;
}

interface Row {
	id: string;
	sector: string;
	name_fi: string;
	name_sv: string;
	provider: string;
	contact: string;
	description_fi: string;
	description_sv: string;
}

const toEntry = (row: Row): CatalogueEntry => ({
	id: row.id,
	sector: (sectors as readonly string[]).includes(row.sector) ? (row.sector as Sector) : 'other',
	nameFi: row.name_fi,
	nameSv: row.name_sv,
	provider: row.provider,
	contact: row.contact,
	descriptionFi: row.description_fi,
	descriptionSv: row.description_sv
});

export type CatalogueInput = Omit<CatalogueEntry, 'id'>;

/**
 * The regional service catalogue. Everyone signed in reads it (to add services to a map);
 * coordinators keep it. The first start fills it with the default catalogue, which they then edit.
 */
export class Catalogue {
	readonly #db: Db;

	constructor(db: Db) {
		this.#db = db;
		this.#seedOnce();
	}

	list(principal: Principal): CatalogueEntry[] {
		if (principal.kind === 'anonymous') throw refusal.unauthenticated();
		return this.#db.prepare<[], Row>('SELECT * FROM service_catalogue ORDER BY sector, name_fi').all().map(toEntry);
	}

	add(principal: Principal, input: CatalogueInput): CatalogueEntry {
		this.#requireCoordinator(principal);
		const entry = { ...this.#validate(input), id: randomBytes(9).toString('base64url') };
		const now = new Date().toISOString();
		this.#db
			.prepare(
				`INSERT INTO service_catalogue (id, sector, name_fi, name_sv, provider, contact, description_fi, description_sv, created_at, updated_at)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
			)
			.run(entry.id, entry.sector, entry.nameFi, entry.nameSv, entry.provider, entry.contact, entry.descriptionFi, entry.descriptionSv, now, now);
		return entry;
	}

	update(principal: Principal, id: string, input: CatalogueInput): CatalogueEntry {
		this.#requireCoordinator(principal);
		const entry = { ...this.#validate(input), id };
		const changed = this.#db
			.prepare(
				`UPDATE service_catalogue SET sector = ?, name_fi = ?, name_sv = ?, provider = ?, contact = ?, description_fi = ?,
				 description_sv = ?, updated_at = ? WHERE id = ?`
			)
			.run(entry.sector, entry.nameFi, entry.nameSv, entry.provider, entry.contact, entry.descriptionFi, entry.descriptionSv, new Date().toISOString(), id).changes;
		if (changed === 0) throw refusal.notFound('Service');
		return entry;
	}

	remove(principal: Principal, id: string): void {
		this.#requireCoordinator(principal);
		if (this.#db.prepare('DELETE FROM service_catalogue WHERE id = ?').run(id).changes === 0) throw refusal.notFound('Service');
	}

	#validate(input: CatalogueInput): CatalogueInput {
		const clean = (value: string, max: number) => value.trim().slice(0, max);
		const nameFi = clean(input.nameFi, 200);
		if (!nameFi) throw new DomainError('invalid', 'A service needs a name.', { issues: [{ path: 'nameFi', message: 'required' }] });
		if (!(sectors as readonly string[]).includes(input.sector)) {
			throw new DomainError('invalid', 'Choose a sector.', { issues: [{ path: 'sector', message: 'invalid' }] });
		}
		return {
			sector: input.sector,
			nameFi,
			nameSv: clean(input.nameSv, 200),
			provider: clean(input.provider, 200),
			contact: clean(input.contact, 200),
			descriptionFi: clean(input.descriptionFi, 1000),
			descriptionSv: clean(input.descriptionSv, 1000)
		};
	}

	#requireCoordinator(principal: Principal): void {
		if (principal.kind === 'anonymous') throw refusal.unauthenticated();
		if (principal.kind !== 'account' || principal.role !== 'coordinator') {
			throw new DomainError('forbidden', 'Only coordinators keep the service catalogue.');
		}
	}

	/** Fills an empty catalogue once, on the first start; a catalogue emptied on purpose stays empty. */
	#seedOnce(): void {
		const seeded = this.#db.prepare("SELECT 1 FROM app_flags WHERE name = 'catalogue_seeded'").get();
		if (seeded) return;
		const insert = this.#db.prepare(
			`INSERT INTO service_catalogue (id, sector, name_fi, name_sv, provider, contact, description_fi, description_sv, created_at, updated_at)
			 VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?)`
		);
		const now = new Date().toISOString();
		this.#db.transaction(() => {
			for (const entry of defaultCatalogue) {
				insert.run(randomBytes(9).toString('base64url'), entry.sector, entry.fi, entry.sv, entry.provider, entry.descriptionFi, entry.descriptionSv, now, now);
			}
			this.#db.prepare("INSERT INTO app_flags (name, set_at) VALUES ('catalogue_seeded', ?)").run(now);
		})();
	}
}
