import { PerformanceObserver, constants } from 'node:perf_hooks';

/** Garbage-collection pauses since the last reset: a stalled event loop is often one of these. */
export interface GcPauses {
	count: number;
	/** Total pause time, milliseconds. */
	totalMs: number;
	maxMs: number;
	/** Full (mark-compact) collections: the long ones. */
	major: number;
	majorTotalMs: number;
}

/** Counts this process's garbage-collection pauses (a PerformanceObserver on `gc` entries). */
export function watchGc(): { read(): GcPauses; reset(): void; stop(): void } {
	let pauses: GcPauses = { count: 0, totalMs: 0, maxMs: 0, major: 0, majorTotalMs: 0 };
	const observer = new PerformanceObserver((list) => {
		for (const entry of list.getEntries()) {
			pauses.count++;
			pauses.totalMs += entry.duration;
			pauses.maxMs = Math.max(pauses.maxMs, entry.duration);
			if ((entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
				pauses.major++;
				pauses.majorTotalMs += entry.duration;
			}
		}
	});
	observer.observe({ entryTypes: ['gc'] });
	return {
		read: () => ({ ...pauses }),
		reset: () => {
			pauses = { count: 0, totalMs: 0, maxMs: 0, major: 0, majorTotalMs: 0 };
		},
		stop: () => observer.disconnect()
	};
}

