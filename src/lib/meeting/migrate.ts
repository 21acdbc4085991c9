import * as Y from 'yjs';
import { mapEntries, readSchemaVersion, schemaVersion, top } from './document';

/**
 * Brings a stored document up to the current layout (v3, docs/document-model.md), in one transaction
 * with `origin`. The server runs it when it loads a document, before any peer syncs, so the structure
 * it adds is created once, by one replica, and never competes with a browser's:
 *
 * - (from v1 only) each v1 perspective (a Y.Text in the `perspectives` map) is copied into the participant's
 *   top-level text, unless that one holds text already (then it is the newer: a v2 writer wrote it);
 * - each goal without a `gas` key gets its empty map of attainment levels (a value of another type
 *   is left alone: what a reader does not understand is never rewritten);
 * - then `meta.schemaVersion` becomes 3. v3 only adds optional service fields (the catalogue entry,
 *   the planned months) that nothing needs to create, so from v2 the raise is the whole migration.
 *   Services are not matched to the catalogue by their names: a name someone typed stays as written
 *   (it may equal a catalogue name by chance, or on purpose in one language only).
 *
 * A document without a version (an empty one: a new meeting) is changed only when it has v1 content
 * to copy or add; one at v3 or newer is left untouched; every other one is raised once, so loading a
 * document writes nothing in the usual case and running this twice changes nothing the second time.
 * Nothing is deleted: the v1 map stays, so a v1 reader still finds what it knew. Returns true when it
 * changed the document.
 */
export function migrateDocument(doc: Y.Doc, origin?: unknown): boolean {
	const version = readSchemaVersion(doc);
	if (version !== undefined && version >= schemaVersion) return false;
	// Only from v1: in a v2 document the v1 map is ignored, and an owner who emptied their v2 text must
	// not get the v1 one back.
	const fromV1 = version === undefined || version < 2;
	const perspectives = [...(fromV1 ? top.perspectives(doc).entries() : [])].filter(
		(entry): entry is [string, Y.Text] => entry[1] instanceof Y.Text && entry[1].length > 0 && top.perspective(doc, entry[0]).length === 0
	);
	const goals = [...mapEntries(top.goals(doc))].filter(([, goal]) => !goal.has('gas'));
	if (version === undefined && perspectives.length === 0 && goals.length === 0) return false;
	doc.transact(() => {
		for (const [participantId, text] of perspectives) top.perspective(doc, participantId).insert(0, text.toString());
		for (const [, goal] of goals) goal.set('gas', new Y.Map<unknown>());
		top.meta(doc).set('schemaVersion', schemaVersion);
	}, origin);
	return true;
}
