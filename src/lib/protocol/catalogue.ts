import * as v from 'valibot';
import { sectors } from '$lib/meeting/vocabulary';

/** `POST /api/catalogue`, `PUT /api/catalogue/:entry` */
export const CatalogueBody = v.object({
	sector: v.picklist(sectors),
	nameFi: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)),
	nameSv: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200)), ''),
	provider: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200)), ''),
	contact: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200)), ''),
	descriptionFi: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(1000)), ''),
	descriptionSv: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(1000)), '')
});

/** `GET /api/catalogue` → `{ services }`: each entry as saved, with its id. */
export type CatalogueEntry = v.InferOutput<typeof CatalogueBody> & { id: string };
