import * as Y from 'yjs';

/**
 * The meeting document's layout, v3 (DESIGN.md, docs/document-model.md). This folder is the only code
 * that names the document's top-level types; everything else goes through its accessors.
 *
 * v2 moved each participant's perspective from a Y.Text nested in the `perspectives` map to a
 * top-level Y.Text of its own (`perspectiveRoot`), and gives every goal its `gas` map when the goal is
 * made: a nested type set into a map is last-writer-wins per key, so two replicas creating one on
 * demand lost one replica's content (issue #19). Top-level types are never created, only named, so
 * two replicas naming the same one merge.
 *
 * v3 gives a service its catalogue entry (`catalogueId` with the entry's Finnish and Swedish names) and
 * its planned months (`start`, `end`, `YYYY-MM`), all optional plain values (issue #21 items 7, 8).
 */
export const schemaVersion = 3;

/** The top-level names of the participants' perspectives (v2): `perspective:<participantId>`. */
export const perspectivePrefix = 'perspective:';

export const top = {
	meta: (doc: Y.Doc) => doc.getMap<unknown>('meta'),
	services: (doc: Y.Doc) => doc.getMap<unknown>('services'),
	goals: (doc: Y.Doc) => doc.getMap<unknown>('goals'),
	actions: (doc: Y.Doc) => doc.getMap<unknown>('actions'),
	clientVoice: (doc: Y.Doc) => doc.getText('clientVoice'),
	/** v1's perspectives (a Y.Text per participant id): read from documents not migrated yet, never written. */
	perspectives: (doc: Y.Doc) => doc.getMap<unknown>('perspectives'),
	/** A participant's perspective (v2): a top-level Y.Text, so every replica that names it gets the same one. */
	perspective: (doc: Y.Doc, participantId: string) => doc.getText(perspectivePrefix + participantId),
	openQuestions: (doc: Y.Doc) => doc.getMap<unknown>('openQuestions')
};

/** The client's situation and wishes, in their own words. */
export const clientVoice = (doc: Y.Doc): Y.Text => top.clientVoice(doc);

/** `meta.schemaVersion`; absent in a document nobody has written to yet. */
export function readSchemaVersion(doc: Y.Doc): number | undefined {
	const value = top.meta(doc).get('schemaVersion');
	return typeof value === 'number' ? value : undefined;
}

/**
 * Marks a document nobody has written to yet with the current version (idempotent; concurrent
 * writers write the same value). An older version is raised only by the server's migration
 * (`migrateDocument`), never by a browser, which cannot know before sync what the stored document holds.
 */
export function ensureSchemaVersion(doc: Y.Doc): void {
	const meta = top.meta(doc);
	if (meta.get('schemaVersion') === undefined) meta.set('schemaVersion', schemaVersion);
}

/** Every change made through this folder's mutators is one transaction with this origin's tag. */
export function change<T>(doc: Y.Doc, work: () => T): T {
	let result!: T;
	doc.transact(() => {
		ensureSchemaVersion(doc);
		result = work();
	});
	return result;
}

/** Reads a string field; anything else reads as `fallback`. */
export const str = (map: Y.Map<unknown>, key: string, fallback = ''): string => {
	const value = map.get(key);
	return typeof value === 'string' ? value : fallback;
};

/** Reads a Y.Text field as a string; a missing or non-text value reads as ''. */
export const text = (map: Y.Map<unknown>, key: string): string => {
	const value = map.get(key);
	return value instanceof Y.Text ? value.toString() : typeof value === 'string' ? value : '';
};

/** The live Y.Text of a field, for binding an editor; undefined when missing or of another type. */
export const liveText = (map: unknown, key: string): Y.Text | undefined => {
	const value = map instanceof Y.Map ? map.get(key) : undefined;
	return value instanceof Y.Text ? value : undefined;
};

/** The entries of a keyed collection that are maps; anything else is skipped, never a crash. */
export function* mapEntries(collection: Y.Map<unknown>): Generator<[string, Y.Map<unknown>]> {
	for (const [key, value] of collection.entries()) {
		if (value instanceof Y.Map) yield [key, value as Y.Map<unknown>];
	}
}
