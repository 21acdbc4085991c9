import type { Evaluation, MeetingKind, PlanVersion } from '../closing.js';
import { consentOrganisationOfRole } from '../consents.js';
import type { Meeting } from '../meetings.js';
import type { PlanJson } from '../plan.js';
import type { ExportLocale } from './labels.js';
import { localizeServices } from '../../src/lib/meeting/service-names.js';

/**
 * What every export is made from: the closed plan version (never the live document), the meeting's
 * own facts, and at a closing meeting its evaluation. Builders are pure functions of this input.
 */
export interface ExportInput {
	version: PlanVersion;
	meeting: Pick<Meeting, 'id' | 'title' | 'scheduledAt' | 'place' | 'language'>;
	kind: MeetingKind;
	locale: ExportLocale;
	/** The closing meeting's evaluation; null for first and follow-up meetings. */
	evaluation: Evaluation | null;
	/**
	 * The client's consent at closing: the version's own, or for a version closed before it held one,
	 * the meeting's last recorded consent (which cannot change after closing). Null: none recorded.
	 */
	consent: PlanConsent | null;
}

export type PlanConsent = NonNullable<PlanJson['consent']>;

export type PlanParticipant = PlanJson['participants'][number];
export type PlanGoal = PlanJson['goals'][number];
export type PlanAction = PlanJson['actions'][number];
export type PlanService = PlanJson['services'][number];

/**
 * The plan's lists in their shared order, numbered the way every export and the summary number them.
 * Catalogue services are named in `locale`, the export's language (issue #21 item 7).
 */
export function readPlanVersion(plan: PlanJson, locale: ExportLocale) {
	const participants = plan.participants;
	const byId = new Map(participants.map((p) => [p.id, p]));
	const client = participants.find((p) => p.role === 'client') ?? null;
	const goals = plan.goals.map((goal, index) => ({ ...goal, number: index + 1 }));
	const goalNumber = new Map(goals.map((goal) => [goal.id, goal.number]));
	const services = localizeServices(plan.services, locale);
	const serviceById = new Map(services.map((service) => [service.id, service]));
	const actions = plan.actions.map((action, index) => {
		const owner = byId.get(action.owner) ?? null;
		return {
			...action,
			number: index + 1,
			ownerName: action.ownerName ?? owner?.name ?? null,
			// The organisation written on the action, else the owner's own.
			organisation: action.organisation || owner?.organisation || '',
			goalNumber: goalNumber.get(action.goalId) ?? null,
			service: serviceById.get(action.serviceId) ?? null
		};
	});
	const closedBy = (id: string) => byId.get(id)?.name ?? null;
	return { participants, client, goals, actions, services, byId, closedBy };
}

export type ReadPlan = ReturnType<typeof readPlanVersion>;

/** The GAS rating shown for a goal: the responsible worker's assessment, else the client's own. */
export function ratingOf(evaluation: Evaluation | null, goalId: string): { client: number | null; worker: number | null } | null {
	const rating = evaluation?.ratings.find((r) => r.goalId === goalId);
	if (!rating || (rating.client === null && rating.worker === null)) return null;
	return { client: rating.client, worker: rating.worker };
}

/** Organisations represented in the meeting (by the professionals' own organisation), alphabetically. */
export function organisationsOf(plan: PlanJson): string[] {
	const names: string[] = [];
	for (const person of plan.participants) {
		const name = person.organisation.trim();
		const known = names.some((n) => n.toLocaleLowerCase('fi') === name.toLocaleLowerCase('fi'));
		if (person.role !== 'client' && name && !known) names.push(name);
	}
	// Alphabetical, so the excerpts come in the same order every time whatever order people joined in.
	return names.sort((a, b) => a.localeCompare(b, 'fi'));
}

/**
 * The organisations that get an excerpt: those of the meeting whose professionals' roles fall under an
 * organisation the client consented to (server/consents.ts). No consent, or "not shared": none.
 */
export function consentedOrganisationsOf(plan: PlanJson, consent: PlanConsent | null): string[] {
	if (!consent || consent.organisations.length === 0) return [];
	const allowed = new Set(consent.organisations);
	const same = (a: string, b: string) => a.trim().toLocaleLowerCase('fi') === b.trim().toLocaleLowerCase('fi');
	return organisationsOf(plan).filter((organisation) =>
		plan.participants.some((person) => {
			const category = consentOrganisationOfRole(person.role);
			return person.role !== 'client' && same(person.organisation, organisation) && category !== null && allowed.has(category);
		})
	);
}

/** A file name for an export: the plan's kind, the meeting's date and the version, no personal data. */
export function fileName(input: ExportInput, stem: string, extension: string): string {
	const day = input.version.closedAt.slice(0, 10);
	return `${stem}-${day}-v${input.version.version}.${extension}`;
}
