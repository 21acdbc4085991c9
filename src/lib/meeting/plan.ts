import * as Y from 'yjs';
import { change, liveText, mapEntries, str, text, top } from './document';
import { byOrder, keyAt, newId } from './order';
import {
	actionStatuses,
	fallbacks,
	gasLevels,
	goalAreas,
	readEnum,
	type ActionStatus,
	type GasLevel,
	type GoalArea
} from './vocabulary';

/** A goal of the follow-up plan, in the client's own words. */
export interface Goal {
	id: string;
	text: string;
	area: GoalArea;
	order: string;
	/** Goal attainment levels −2…+2 with a description each; null when the team has described none. */
	gas: Partial<Record<GasLevel, string>> | null;
}

/** An action: what is done, by whom, by when, in which order. */
export interface Action {
	id: string;
	text: string;
	goalId: string;
	serviceId: string;
	/** Participant id of the owner. */
	owner: string;
	organisation: string;
	/** `YYYY-MM-DD`, or '' when not set (an invalid stored value also reads as ''). */
	due: string;
	status: ActionStatus;
	order: string;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

function readGas(map: Y.Map<unknown>): Goal['gas'] {
	const gas = map.get('gas');
	if (!(gas instanceof Y.Map)) return null;
	const levels: Partial<Record<GasLevel, string>> = {};
	for (const level of gasLevels) {
		const value = gas.get(level);
		if (typeof value === 'string') levels[level] = value;
	}
	// Every goal has its (maybe empty) map since v2; no description reads as before: none defined.
	return Object.keys(levels).length > 0 ? levels : null;
}

export function readGoals(doc: Y.Doc): Goal[] {
	return [...mapEntries(top.goals(doc))]
		.map(([id, map]) => ({
			id: str(map, 'id', id),
			text: text(map, 'text'),
			area: readEnum(map.get('area'), goalAreas, fallbacks.goalArea),
			order: str(map, 'order'),
			gas: readGas(map)
		}))
		.sort(byOrder);
}

export function readActions(doc: Y.Doc): Action[] {
	return [...mapEntries(top.actions(doc))]
		.map(([id, map]) => {
			const due = str(map, 'due');
			return {
				id: str(map, 'id', id),
				text: text(map, 'text'),
				goalId: str(map, 'goalId'),
				serviceId: str(map, 'serviceId'),
				owner: str(map, 'owner'),
				organisation: str(map, 'organisation'),
				due: isoDate.test(due) ? due : '',
				status: readEnum(map.get('status'), actionStatuses, fallbacks.actionStatus),
				order: str(map, 'order')
			};
		})
		.sort(byOrder);
}

/** The shared text of a goal, for binding an editor. */
export const goalText = (doc: Y.Doc, id: string) => liveText(top.goals(doc).get(id), 'text');
/** The shared text of an action, for binding an editor. */
export const actionText = (doc: Y.Doc, id: string) => liveText(top.actions(doc).get(id), 'text');

export function addGoal(doc: Y.Doc, input: { text?: string; area?: GoalArea }, index?: number): string {
	return change(doc, () => {
		const sorted = readGoals(doc);
		const id = newId();
		const map = new Y.Map<unknown>();
		map.set('id', id);
		map.set('text', new Y.Text(input.text ?? ''));
		map.set('area', input.area ?? 'other');
		map.set('order', keyAt(sorted, index ?? sorted.length));
		// Made with the goal, by the one replica that makes the goal: never on demand (see setGoalLevel).
		map.set('gas', new Y.Map<unknown>());
		top.goals(doc).set(id, map);
		return id;
	});
}

export function setGoalArea(doc: Y.Doc, id: string, area: GoalArea): boolean {
	const map = top.goals(doc).get(id);
	if (!(map instanceof Y.Map)) return false;
	change(doc, () => map.set('area', area));
	return true;
}

/** The goal's map of attainment levels, when the goal has one. */
function gasOf(doc: Y.Doc, id: string): Y.Map<unknown> | undefined {
	const map = top.goals(doc).get(id);
	const gas = map instanceof Y.Map ? map.get('gas') : undefined;
	return gas instanceof Y.Map ? (gas as Y.Map<unknown>) : undefined;
}

/**
 * True when the goal's attainment levels can be written: the goal has its `gas` map. A goal made
 * by a v1 writer gets it from the server when the document next loads (`migrateDocument`).
 */
export const canSetGoalLevels = (doc: Y.Doc, id: string): boolean => gasOf(doc, id) !== undefined;

/**
 * Sets (or with '' clears) the description of one goal attainment level. False, changing nothing,
 * when the goal has no `gas` map: creating one here would compete with another replica's (a nested
 * type set into a map is last-writer-wins, so one device's levels would be lost, issue #19).
 */
export function setGoalLevel(doc: Y.Doc, id: string, level: GasLevel, description: string): boolean {
	const gas = gasOf(doc, id);
	if (!gas) return false;
	change(doc, () => {
		if (description === '') gas.delete(level);
		else gas.set(level, description);
	});
	return true;
}

export function removeGoal(doc: Y.Doc, id: string): boolean {
	if (!top.goals(doc).has(id)) return false;
	change(doc, () => top.goals(doc).delete(id));
	return true;
}

export function moveGoal(doc: Y.Doc, id: string, index: number): boolean {
	const map = top.goals(doc).get(id);
	if (!(map instanceof Y.Map)) return false;
	change(doc, () => map.set('order', keyAt(readGoals(doc).filter((g) => g.id !== id), index)));
	return true;
}

export type ActionInput = Partial<Omit<Action, 'id' | 'order'>>;

export function addAction(doc: Y.Doc, input: ActionInput, index?: number): string {
	return change(doc, () => {
		const sorted = readActions(doc);
		const id = newId();
		const map = new Y.Map<unknown>();
		map.set('id', id);
		map.set('text', new Y.Text(input.text ?? ''));
		map.set('goalId', input.goalId ?? '');
		map.set('serviceId', input.serviceId ?? '');
		map.set('owner', input.owner ?? '');
		map.set('organisation', input.organisation ?? '');
		map.set('due', input.due && isoDate.test(input.due) ? input.due : '');
		map.set('status', input.status ?? 'todo');
		map.set('order', keyAt(sorted, index ?? sorted.length));
		top.actions(doc).set(id, map);
		return id;
	});
}

/** Changes an action's fields (its text is edited through `actionText`). */
export function updateAction(doc: Y.Doc, id: string, patch: Partial<Omit<Action, 'id' | 'order' | 'text'>>): boolean {
	const map = top.actions(doc).get(id);
	if (!(map instanceof Y.Map)) return false;
	if (patch.due !== undefined && patch.due !== '' && !isoDate.test(patch.due)) {
		throw new RangeError('due must be YYYY-MM-DD');
	}
	change(doc, () => {
		for (const [key, value] of Object.entries(patch)) if (value !== undefined) map.set(key, value);
	});
	return true;
}

export function removeAction(doc: Y.Doc, id: string): boolean {
	if (!top.actions(doc).has(id)) return false;
	change(doc, () => top.actions(doc).delete(id));
	return true;
}

export function moveAction(doc: Y.Doc, id: string, index: number): boolean {
	const map = top.actions(doc).get(id);
	if (!(map instanceof Y.Map)) return false;
	change(doc, () => map.set('order', keyAt(readActions(doc).filter((a) => a.id !== id), index)));
	return true;
}
