import * as Y from 'yjs';
import { change, liveText, mapEntries, perspectivePrefix, readSchemaVersion, str, text, top } from './document';
import { byOrder, keyAt, newId } from './order';

/** Something the team is not sure of yet: written down, not forced to a decision. */
export interface OpenQuestion {
	id: string;
	text: string;
	order: string;
	resolved: boolean;
}

/**
 * True when a document may still hold v1 perspectives that no v2 text replaces: one the server has
 * not migrated (a closed meeting's, or a stored copy read without loading it). In a v2 document the
 * v1 map is ignored: the migration copied it, and a v1 text must not come back when its owner has
 * emptied their v2 one (docs/document-model.md).
 */
const readsV1Perspectives = (doc: Y.Doc) => (readSchemaVersion(doc) ?? 0) < 2;

/** The v2 text of `name` when it is a perspective's top-level name and holds a text; never a crash. */
function rootPerspective(doc: Y.Doc, name: string): Y.Text | undefined {
	if (!name.startsWith(perspectivePrefix) || name.length === perspectivePrefix.length) return undefined;
	try {
		return doc.getText(name);
	} catch {
		// A top-level type some code of this process took as another kind: not a perspective.
		return undefined;
	}
}

/**
 * Each member's view of the situation, keyed by participant id: every perspective that holds text.
 * The v2 top-level text; in a document not migrated yet, the v1 text where the v2 one is empty.
 */
export function readPerspectives(doc: Y.Doc): Map<string, string> {
	const result = new Map<string, string>();
	if (readsV1Perspectives(doc)) {
		for (const [participantId, value] of top.perspectives(doc).entries()) {
			if (value instanceof Y.Text && value.length > 0) result.set(participantId, value.toString());
		}
	}
	// Every top-level type some update named, also one this replica has not read yet (Yjs keeps them in `share`).
	for (const name of [...doc.share.keys()]) {
		const text = rootPerspective(doc, name);
		if (text && text.length > 0) result.set(name.slice(perspectivePrefix.length), text.toString());
	}
	return result;
}

/**
 * The shared text that shows a participant's perspective (read-only to anyone but its owner): the
 * v2 text, or in a document not migrated yet the v1 one when the v2 text is empty. Undefined when
 * there is neither.
 */
export function perspectiveText(doc: Y.Doc, participantId: string): Y.Text | undefined {
	const name = perspectivePrefix + participantId;
	const own = doc.share.has(name) ? rootPerspective(doc, name) : undefined;
	if (own && own.length > 0) return own;
	if (readsV1Perspectives(doc)) {
		const old = top.perspectives(doc).get(participantId);
		if (old instanceof Y.Text) return old;
	}
	return own;
}

/**
 * The participant's own perspective, for their editor. A top-level Y.Text: naming it creates nothing
 * that could compete with the stored one, so a page may bind it before its document has synced, and
 * two devices (or a reload) writing at once merge their text.
 */
export const ownPerspective = (doc: Y.Doc, participantId: string): Y.Text => top.perspective(doc, participantId);

/** @deprecated The name from v1, when it created a nested text; it now names the top-level one (`ownPerspective`). */
export const ensurePerspective = ownPerspective;

export function readOpenQuestions(doc: Y.Doc): OpenQuestion[] {
	return [...mapEntries(top.openQuestions(doc))]
		.map(([id, map]) => ({
			id: str(map, 'id', id),
			text: text(map, 'text'),
			order: str(map, 'order'),
			resolved: map.get('resolved') === true
		}))
		.sort(byOrder);
}

export const openQuestionText = (doc: Y.Doc, id: string) => liveText(top.openQuestions(doc).get(id), 'text');

export function addOpenQuestion(doc: Y.Doc, initial = '', index?: number): string {
	return change(doc, () => {
		const sorted = readOpenQuestions(doc);
		const id = newId();
		const map = new Y.Map<unknown>();
		map.set('id', id);
		map.set('text', new Y.Text(initial));
		map.set('order', keyAt(sorted, index ?? sorted.length));
		map.set('resolved', false);
		top.openQuestions(doc).set(id, map);
		return id;
	});
}

export function setOpenQuestionResolved(doc: Y.Doc, id: string, resolved: boolean): boolean {
	const map = top.openQuestions(doc).get(id);
	if (!(map instanceof Y.Map)) return false;
	change(doc, () => map.set('resolved', resolved));
	return true;
}

export function removeOpenQuestion(doc: Y.Doc, id: string): boolean {
	if (!top.openQuestions(doc).has(id)) return false;
	change(doc, () => top.openQuestions(doc).delete(id));
	return true;
}

export function moveOpenQuestion(doc: Y.Doc, id: string, index: number): boolean {
	const map = top.openQuestions(doc).get(id);
	if (!(map instanceof Y.Map)) return false;
	change(doc, () => map.set('order', keyAt(readOpenQuestions(doc).filter((q) => q.id !== id), index)));
	return true;
}
