/**
 * Measurement primitives shared by every server under test: /proc readers (so each server's memory and
 * CPU are read the same way), Prometheus text parsing, histogram quantiles and sample statistics.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

let clockTicks: number | undefined;

/** Kernel clock ticks per second (the unit of utime/stime in /proc/<pid>/stat). */
export function clockTicksPerSecond(): number {
	if (clockTicks === undefined) {
		try {
			clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5_000 }).trim()) || 100;
		} catch {
			clockTicks = 100;
		}
	}
	return clockTicks;
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function processCpuSeconds(pid: number): number {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	// The command name (field 2) may contain spaces; the fields after its closing parenthesis are fixed.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	// After the name: field 3 (state) is index 0, so utime (14) is index 11 and stime (15) index 12.
	const utime = Number(fields[11]);
	const stime = Number(fields[12]);
	return (utime + stime) / clockTicksPerSecond();
}

/** Resident set size in bytes, from /proc/<pid>/status (VmRSS), as `ps -o rss=` reports it. */
export function processRssBytes(pid: number): number {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
	if (!match?.[1]) throw new Error(`no VmRSS for pid ${pid}`);
	return Number(match[1]) * 1024;
}

/** Bytes a process has caused to be written to storage, and its write syscalls, from /proc/<pid>/io. */
export function processIo(pid: number): { writeBytes: number; writeCalls: number } {
	try {
		const io = fs.readFileSync(`/proc/${pid}/io`, 'utf8');
		const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(io)?.[1] ?? NaN);
		return { writeBytes: field('write_bytes'), writeCalls: field('syscw') };
	} catch {
		return { writeBytes: NaN, writeCalls: NaN };
	}
}

/** Whole-machine CPU time in ticks (all cores), busy and total, from /proc/stat. */
export function machineCpuTicks(): { busy: number; total: number } {
	const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
	const values = line.trim().split(/\s+/).slice(1).map(Number);
	const total = values.reduce((a, b) => a + b, 0);
	// idle + iowait
	const idle = (values[3] ?? 0) + (values[4] ?? 0);
	return { busy: total - idle, total };
}

export function machineInfo() {
	const cpus = os.cpus();
	return {
		cpuModel: cpus[0]?.model.trim() ?? 'unknown',
		cores: cpus.length,
		memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
		kernel: `${os.type()} ${os.release()}`,
		node: process.version,
		loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100)
	};
}

// --- Prometheus text format -------------------------------------------------------------------------

export interface PromSample {
	name: string;
	labels: Record<string, string>;
	value: number;
}

export function parsePrometheus(text: string): PromSample[] {
	const samples: PromSample[] = [];
	for (const line of text.split('\n')) {
		if (line === '' || line.startsWith('#')) continue;
		const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
		if (!match?.[1] || match[4] === undefined) continue;
		const labels: Record<string, string> = {};
		for (const pair of (match[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
			if (pair[1] !== undefined) labels[pair[1]] = pair[2] ?? '';
		}
		samples.push({ name: match[1], labels, value: Number(match[4]) });
	}
	return samples;
}

export function promValue(samples: PromSample[], name: string): number | undefined {
	return samples.find((s) => s.name === name)?.value;
}

/** A Prometheus histogram: cumulative counts per upper bound (`le`), plus sum and count. */
export interface Histogram {
	buckets: { le: number; count: number }[];
	sum: number;
	count: number;
}

export function promHistogram(samples: PromSample[], name: string): Histogram | undefined {
	const buckets = samples
		.filter((s) => s.name === `${name}_bucket` && s.labels.le !== undefined)
		.map((s) => ({ le: s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), count: s.value }))
		.sort((a, b) => a.le - b.le);
	if (buckets.length === 0) return undefined;
	return { buckets, sum: promValue(samples, `${name}_sum`) ?? 0, count: promValue(samples, `${name}_count`) ?? 0 };
}

/** What was observed between two scrapes of the same histogram. */
export function histogramDelta(before: Histogram | undefined, after: Histogram): Histogram {
	return {
		buckets: after.buckets.map((b, i) => ({ le: b.le, count: b.count - (before?.buckets[i]?.count ?? 0) })),
		sum: after.sum - (before?.sum ?? 0),
		count: after.count - (before?.count ?? 0)
	};
}

/**
 * Quantile estimated as Prometheus's histogram_quantile does: linear interpolation inside the bucket
 * holding the rank. `bucketUpper` is the bucket's upper bound, the figure the data supports for sure.
 */
export function histogramQuantile(h: Histogram, q: number): { estimate: number; bucketUpper: number } | undefined {
	if (h.count <= 0) return undefined;
	const rank = q * h.count;
	let previousLe = 0;
	let previousCount = 0;
	for (const bucket of h.buckets) {
		if (bucket.count >= rank) {
			if (bucket.le === Infinity) return { estimate: previousLe, bucketUpper: Infinity };
			const inBucket = bucket.count - previousCount;
			const fraction = inBucket > 0 ? (rank - previousCount) / inBucket : 1;
			return { estimate: previousLe + (bucket.le - previousLe) * fraction, bucketUpper: bucket.le };
		}
		previousLe = bucket.le;
		previousCount = bucket.count;
	}
	return undefined;
}

/** A latency histogram in seconds as the report shows it: mean, p50 and p99 in milliseconds, and the buckets they fall in. */
export interface LatencyFigures {
	meanMs: number;
	p50Ms?: number;
	p99Ms?: number;
	p50BucketMs?: number;
	p99BucketMs?: number;
}

export function latencyFigures(h: Histogram): LatencyFigures {
	const p50 = histogramQuantile(h, 0.5);
	const p99 = histogramQuantile(h, 0.99);
	return {
		meanMs: h.count > 0 ? (h.sum / h.count) * 1000 : NaN,
		p50Ms: p50 && p50.estimate * 1000,
		p99Ms: p99 && p99.estimate * 1000,
		p50BucketMs: p50 && p50.bucketUpper * 1000,
		p99BucketMs: p99 && p99.bucketUpper * 1000
	};
}

// --- Sample statistics ------------------------------------------------------------------------------

/** A growable list of float samples (milliseconds), cheap to append hundreds of thousands to. */
export class Samples {
	#data = new Float64Array(1024);
	#length = 0;

	push(value: number): void {
		if (this.#length === this.#data.length) {
			const grown = new Float64Array(this.#data.length * 2);
			grown.set(this.#data);
			this.#data = grown;
		}
		this.#data[this.#length++] = value;
	}

	get length(): number {
		return this.#length;
	}

	values(): Float64Array {
		return this.#data.subarray(0, this.#length);
	}

	static concat(all: Samples[]): Samples {
		const out = new Samples();
		for (const s of all) for (const v of s.values()) out.push(v);
		return out;
	}
}

export interface Summary {
	count: number;
	mean: number;
	p50: number;
	p90: number;
	p99: number;
	p999: number;
	max: number;
}

/** Nearest-rank percentiles. */
export function summarize(samples: Samples): Summary | undefined {
	if (samples.length === 0) return undefined;
	const sorted = Float64Array.from(samples.values()).sort();
	const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
	let sum = 0;
	for (const v of sorted) sum += v;
	return {
		count: sorted.length,
		mean: sum / sorted.length,
		p50: at(0.5),
		p90: at(0.9),
		p99: at(0.99),
		p999: at(0.999),
		max: sorted[sorted.length - 1] ?? NaN
	};
}

/** Median of the finite values (a figure that could not be measured is NaN and left out). */
export function median(values: number[]): number {
	const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
	if (sorted.length === 0) return NaN;
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}
