/**
 * The closed vocabularies of the meeting document (v1). Readers are tolerant: a value this version
 * does not know reads as the documented fallback, and the stored value is left as it is.
 */
export const sectors = ['health', 'social', 'employment', 'kela', 'education', 'third_sector', 'other'] as const;
export type Sector = (typeof sectors)[number];

export const serviceStatuses = ['current', 'planned', 'ended', 'suggested'] as const;
export type ServiceStatus = (typeof serviceStatuses)[number];

export const ties = ['strong', 'moderate', 'tenuous', 'stressful'] as const;
export type Tie = (typeof ties)[number];

export const goalAreas = ['work', 'education', 'health', 'social', 'finances', 'everyday', 'other'] as const;
export type GoalArea = (typeof goalAreas)[number];

export const actionStatuses = ['todo', 'doing', 'done'] as const;
export type ActionStatus = (typeof actionStatuses)[number];

/** Goal attainment scaling levels, −2…+2 (Kela's GAS form). */
export const gasLevels = ['-2', '-1', '0', '1', '2'] as const;
export type GasLevel = (typeof gasLevels)[number];

/** Reads `value` as one of `allowed`, or `fallback` when it is anything else. */
export function readEnum<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
	return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

export const fallbacks = {
	sector: 'other',
	serviceStatus: 'current',
	tie: 'moderate',
	goalArea: 'other',
	actionStatus: 'todo'
} as const satisfies {
	sector: Sector;
	serviceStatus: ServiceStatus;
	tie: Tie;
	goalArea: GoalArea;
	actionStatus: ActionStatus;
};
