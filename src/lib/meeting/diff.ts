/** A plan item as compared between versions: an id and plain fields. */
export interface Comparable {
	id: string;
}

export interface ItemChange<T extends Comparable> {
	id: string;
	before: T;
	after: T;
	/** The fields whose values differ (order changes count as `order`). */
	fields: string[];
}

export interface CollectionDiff<T extends Comparable> {
	added: T[];
	removed: T[];
	changed: ItemChange<T>[];
}

export interface PlanDiff {
	goals: CollectionDiff<Comparable>;
	actions: CollectionDiff<Comparable>;
	services: CollectionDiff<Comparable>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Added, removed and changed items, matched by id; fields listed in `ignore` are not compared. */
export function diffCollection<T extends Comparable>(before: T[], after: T[], ignore: string[] = []): CollectionDiff<T> {
	const old = new Map(before.map((item) => [item.id, item]));
	const next = new Map(after.map((item) => [item.id, item]));
	const changed: ItemChange<T>[] = [];
	for (const [id, item] of next) {
		const previous = old.get(id);
		if (!previous) continue;
		const a = previous as unknown as Record<string, unknown>;
		const b = item as unknown as Record<string, unknown>;
		const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])]
			.filter((field) => !ignore.includes(field) && !same(a[field], b[field]))
			.sort();
		if (fields.length > 0) changed.push({ id, before: previous, after: item, fields });
	}
	return {
		added: after.filter((item) => !old.has(item.id)),
		removed: before.filter((item) => !next.has(item.id)),
		changed
	};
}

/** The readable difference between two plan versions (goals, actions, services). */
export function diffPlans(
	before: { goals: Comparable[]; actions: Comparable[]; services: Comparable[] },
	after: { goals: Comparable[]; actions: Comparable[]; services: Comparable[] }
): PlanDiff {
	return {
		goals: diffCollection(before.goals, after.goals),
		// Each meeting has its own participant records, so an owner's id differs from one version to the
		// next even for the same person: owners are compared by name.
		actions: diffCollection(before.actions, after.actions, ['owner']),
		services: diffCollection(before.services, after.services)
	};
}
