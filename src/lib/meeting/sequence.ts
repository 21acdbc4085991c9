import type { Service } from './services';

/**
 * The order of services in time (issue #21 item 8; the handbook: "in the right order, without
 * overlaps"). **Services planned in sequence** are the services that have both a planned start and a
 * planned end month and whose status is not `ended` (an ended service is history, not a plan). Among
 * those, this points out:
 *
 * - an **overlap**: two services whose months share at least one month (months are inclusive: one
 *   ending in March and the next starting in March overlap by that month);
 * - a **gap**: a month or more, between the first start and the last end, that no such service covers.
 *
 * A service with only one of the two months, or none, is shown but takes no part: it is not planned in
 * sequence yet. Overlaps are not errors (two services can run side by side on purpose); they are named
 * so that the team sees them and decides.
 */
export interface ServiceOverlap {
	first: Service;
	second: Service;
	/** The shared months, `YYYY-MM`, inclusive. */
	from: string;
	to: string;
}

export interface ServiceGap {
	/** The service whose end starts the gap (the latest end so far) and the one that ends it. */
	before: Service;
	after: Service;
	/** The months nothing covers, `YYYY-MM`, inclusive. */
	from: string;
	to: string;
}

export interface ServiceSequence {
	/** The services planned in sequence, by start month, then end month, then their agreed order. */
	planned: Service[];
	overlaps: ServiceOverlap[];
	gaps: ServiceGap[];
}

/** `YYYY-MM` plus `count` months (negative: minus). */
export function shiftMonth(month: string, count: number): string {
	const [year, mon] = month.split('-').map(Number) as [number, number];
	const index = year * 12 + (mon - 1) + count;
	return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Services in their agreed order (as `readServices` gives them) → the sequence and its findings. */
export function serviceSequence(services: Service[]): ServiceSequence {
	const planned = services
		.map((service, index) => ({ service, index }))
		.filter(({ service }) => service.start && service.end && service.status !== 'ended' && service.end >= service.start)
		.sort((a, b) => a.service.start!.localeCompare(b.service.start!) || a.service.end!.localeCompare(b.service.end!) || a.index - b.index)
		.map(({ service }) => service);

	const overlaps: ServiceOverlap[] = [];
	for (let i = 0; i < planned.length; i++) {
		for (let j = i + 1; j < planned.length; j++) {
			const first = planned[i]!;
			const second = planned[j]!;
			// Sorted by start: once a later service starts after this one ends, none after it overlaps either.
			if (second.start! > first.end!) break;
			overlaps.push({ first, second, from: second.start!, to: first.end! < second.end! ? first.end! : second.end! });
		}
	}

	const gaps: ServiceGap[] = [];
	let latest: Service | undefined;
	for (const service of planned) {
		if (latest && service.start! > shiftMonth(latest.end!, 1)) {
			gaps.push({ before: latest, after: service, from: shiftMonth(latest.end!, 1), to: shiftMonth(service.start!, -1) });
		}
		if (!latest || service.end! > latest.end!) latest = service;
	}
	return { planned, overlaps, gaps };
}
