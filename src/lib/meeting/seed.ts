import * as Y from 'yjs';
import { generateNKeysBetween } from 'fractional-indexing';
import { change, top } from './document';
import type { Action, Goal } from './plan';
import type { Service } from './services';
import { gasLevels } from './vocabulary';

/** What a follow-up meeting starts from: the content of the previous closed plan. */
export interface PlanSeed {
	services: Service[];
	goals: Goal[];
	actions: Action[];
	/** Unresolved open questions to carry on; their order is kept, `resolved` starts false. */
	openQuestions?: Array<{ id: string; text: string }>;
}

/**
 * Writes a previous plan's services, goals, actions and unresolved open questions into an empty
 * document, keeping their ids and order, so that the next version can be compared item by item with
 * the previous one.
 */
export function seedFromPlan(doc: Y.Doc, plan: PlanSeed): void {
	const keys = generateNKeysBetween(null, null, plan.openQuestions?.length ?? 0);
	change(doc, () => {
		for (const service of plan.services) {
			const map = new Y.Map<unknown>();
			for (const [key, value] of Object.entries(service)) map.set(key, value);
			top.services(doc).set(service.id, map);
		}
		for (const goal of plan.goals) {
			const map = new Y.Map<unknown>();
			map.set('id', goal.id);
			map.set('text', new Y.Text(goal.text));
			map.set('area', goal.area);
			map.set('order', goal.order);
			// Every goal has its map of levels (v2), so no browser ever creates one (docs/document-model.md).
			const gas = new Y.Map<unknown>();
			for (const level of gasLevels) if (goal.gas?.[level]) gas.set(level, goal.gas[level]);
			map.set('gas', gas);
			top.goals(doc).set(goal.id, map);
		}
		for (const action of plan.actions) {
			const map = new Y.Map<unknown>();
			for (const [key, value] of Object.entries(action)) {
				if (key === 'text') map.set('text', new Y.Text(action.text));
				else if (key !== 'ownerName') map.set(key, value);
			}
			top.actions(doc).set(action.id, map);
		}
		const questions = plan.openQuestions ?? [];
		questions.forEach((question, index) => {
			const map = new Y.Map<unknown>();
			map.set('id', question.id);
			map.set('text', new Y.Text(question.text));
			// Fresh keys in the carried order: the old ones may have gaps, the order is what matters.
			map.set('order', keys[index]!);
			map.set('resolved', false);
			top.openQuestions(doc).set(question.id, map);
		});
	});
}
