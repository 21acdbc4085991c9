import * as Y from 'yjs';
import { change, liveText, mapEntries, str, text, top } from './document';
import { byOrder, keyAt, newId } from './order';

/** Something the team is not sure of yet: written down, not forced to a decision. */
export interface OpenQuestion {
	id: string;
	text: string;
	order: string;
	resolved: boolean;
}

/** Each member's view of the situation, keyed by participant id. */
export function readPerspectives(doc: Y.Doc): Map<string, string> {
	const result = new Map<string, string>();
	for (const [participantId, value] of top.perspectives(doc).entries()) {
		if (value instanceof Y.Text) result.set(participantId, value.toString());
	}
	return result;
}

/** The participant's own perspective text, if they have started one. */
export function perspectiveText(doc: Y.Doc, participantId: string): Y.Text | undefined {
	const value = top.perspectives(doc).get(participantId);
	return value instanceof Y.Text ? value : undefined;
}

/**
 * The participant's own perspective text, created on first use. Only its owner calls this (each
 * member writes their own), so two devices creating it at once is the only race; the map's
 * last-writer-wins then keeps one of the two texts.
 */
export function ensurePerspective(doc: Y.Doc, participantId: string): Y.Text {
	const existing = perspectiveText(doc, participantId);
	if (existing) return existing;
	return change(doc, () => {
		const created = new Y.Text();
		top.perspectives(doc).set(participantId, created);
		return created;
	});
}

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
