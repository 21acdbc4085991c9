import * as Y from 'yjs';
import { mapEntries, readSchemaVersion, schemaVersion, top } from './document';

/**
 * Brings a stored document up to the current layout (v2, docs/document-model.md), in one transaction
 * with `origin`. The server runs it when it loads a document, before any peer syncs, so the structure
 * it adds is created once, by one replica, and never competes with a browser's:
 *
 * - each v1 perspective (a Y.Text in the `perspectives` map) is copied into the participant's
 *   top-level text, unless that one holds text already (then it is the newer: a v2 writer wrote it);
 * - each goal without a `gas` key gets its empty map of attainment levels (a value of another type
 *   is left alone: what a reader does not understand is never rewritten);
 * - then `meta.schemaVersion` becomes 2.
 *
 * Only a document that needs one of the first two is changed at all: an empty one (a new meeting),
 * one at v2 or newer, and one with nothing to copy or add are left untouched, so loading a document
 * writes nothing in the usual case and running this twice changes nothing the second time. Nothing is
 * deleted: the v1 map stays, so a v1 reader still finds what it knew. Returns true when it changed
 * the document.
 */
export function migrateDocument(doc: Y.Doc, origin?: unknown): boolean {
	const version = readSchemaVersion(doc);
	if (version !== undefined && version >= schemaVersion) return false;
	const perspectives = [...top.perspectives(doc).entries()].filter(
		(entry): entry is [string, Y.Text] => entry[1] instanceof Y.Text && entry[1].length > 0 && top.perspective(doc, entry[0]).length === 0
	);
	const goals = [...mapEntries(top.goals(doc))].filter(([, goal]) => !goal.has('gas'));
	if (perspectives.length === 0 && goals.length === 0) return false;
	doc.transact(() => {
		for (const [participantId, text] of perspectives) top.perspective(doc, participantId).insert(0, text.toString());
		for (const [, goal] of goals) goal.set('gas', new Y.Map<unknown>());
		top.meta(doc).set('schemaVersion', schemaVersion);
	}, origin);
	return true;
}
