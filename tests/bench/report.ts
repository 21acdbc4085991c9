/** Summaries over rounds, ratios between servers, the console table and the generated Markdown. */
import { Samples, latencyFigures, median, summarize, type Histogram, type LatencyFigures, type Summary } from './measure.js';
import type { machineInfo } from './measure.js';
import type { VerkostoSource } from './checkout.js';
import type { BenchOptions } from './options.js';
import type { PhaseOutcome, PhaseResult } from './phase.js';
import type { FrontendResult } from './frontend.js';
import type { JoinResult, JoinTiming } from './join.js';

export interface ServerSummary {
	key: string;
	label: string;
	/** One letter for the run order (V R H). */
	letter?: string;
	durability: string;
	rounds: number;
	/** Percentiles over every sample of every round. */
	editLatencyMs: Summary | undefined;
	awarenessLatencyMs: Summary | undefined;
	/** The p99 of each round, to show the spread between rounds. */
	editP99ByRound: number[];
	editsPerSecond: number;
	editsMissing: number;
	awarenessMissing: number;
	disconnects: number;
	/** Medians over rounds. */
	cpuPercentOfCore: number;
	serverLoopDelayP99Ms: number;
	serverLoopDelayMaxMs: number;
	/** Garbage-collection pause time per second of window (median of rounds) and the longest pause. */
	serverGcMsPerSecond: number;
	serverGcMaxMs: number;
	diskWriteBytesPerSecond: number;
	heapPerMeetingBytes: number;
	rssPerMeetingBytes: number;
	rssDuringWindowPerMeetingBytes: number;
	rssDuringWindowBytes: number;
	connectSeconds: number;
	generatorCpuPercent: number;
	generatorLoopDelayP99Ms: number;
	generatorGcMsPerSecond: number;
	machineBusyPercent: number;
	otherCpuPercentOfCore: number;
	storage?: LatencyFigures & { writes: number };
	/** From each update's arrival at the server to its relay (Verkosto's own histogram, pooled over rounds). */
	relay?: LatencyFigures & { updates: number };
}

export interface Results {
	date: string;
	command: string;
	options: BenchOptions;
	machine: ReturnType<typeof machineInfo>;
	verkosto: VerkostoSource;
	durationSeconds: number;
	/** The load part, one per server (empty when the load was not measured). */
	servers: ServerSummary[];
	/** The first server (Verkosto) divided by each other one, keyed by the other's key. */
	ratios?: Record<string, Record<string, number>>;
	phases: PhaseResult[];
	/** Attempts that failed (and were run again, if attempts were left); `sequence` 0 for join and front end. */
	failures: { server: string; sequence: number; attempt: number; error: string }[];
	/** The join part, one per server. */
	join?: JoinResult[];
	/** The front-end part, or why it was skipped. */
	frontend?: FrontendResult;
	frontendSkipped?: string;
}

function sumHistograms(all: Histogram[]): Histogram | undefined {
	const first = all[0];
	if (!first) return undefined;
	return {
		buckets: first.buckets.map((b, i) => ({ le: b.le, count: all.reduce((n, h) => n + (h.buckets[i]?.count ?? 0), 0) })),
		sum: all.reduce((n, h) => n + h.sum, 0),
		count: all.reduce((n, h) => n + h.count, 0)
	};
}

export function summarizeServer(
	server: { key: string; label: string; durability: string; letter?: string },
	outcomes: PhaseOutcome[]
): ServerSummary {
	const results = outcomes.map((o) => o.result);
	const med = (f: (r: PhaseResult) => number) => median(results.map(f));
	/** The largest finite value over rounds; NaN, not -Infinity, when there is none (a probe never answered). */
	const most = (f: (r: PhaseResult) => number) => {
		const values = results.map(f).filter(Number.isFinite);
		return values.length > 0 ? Math.max(...values) : NaN;
	};
	const stored = sumHistograms(results.flatMap((r) => (r.storage ? [r.storage.histogram] : [])));
	const relayed = sumHistograms(results.flatMap((r) => (r.relay ? [r.relay.histogram] : [])));
	return {
		key: server.key,
		label: server.label,
		letter: server.letter,
		durability: server.durability,
		rounds: results.length,
		editLatencyMs: summarize(Samples.concat(outcomes.map((o) => o.window.editLatency))),
		awarenessLatencyMs: summarize(Samples.concat(outcomes.map((o) => o.window.awarenessLatency))),
		editP99ByRound: results.map((r) => r.edits.latencyMs?.p99 ?? NaN),
		editsPerSecond: med((r) => r.edits.perSecond),
		editsMissing: results.reduce((n, r) => n + r.edits.missing, 0),
		awarenessMissing: results.reduce((n, r) => n + r.awareness.missing, 0),
		disconnects: results.reduce((n, r) => n + r.disconnects, 0),
		cpuPercentOfCore: med((r) => r.server.cpuPercentOfCore),
		serverLoopDelayP99Ms: med((r) => r.server.loopDelayMs.p99),
		serverLoopDelayMaxMs: most((r) => r.server.loopDelayMs.max),
		serverGcMsPerSecond: med((r) => (r.server.gc ? r.server.gc.totalMs / r.windowSeconds : NaN)),
		serverGcMaxMs: most((r) => r.server.gc?.maxMs ?? NaN),
		diskWriteBytesPerSecond: med((r) => r.server.diskWriteBytesPerSecond),
		heapPerMeetingBytes: med((r) => r.memory.perMeeting.heapUsed),
		rssPerMeetingBytes: med((r) => r.memory.perMeeting.rss),
		rssDuringWindowPerMeetingBytes: med((r) => r.memory.perMeeting.rssDuringWindow),
		rssDuringWindowBytes: med((r) => r.memory.rssDuringWindow.median),
		connectSeconds: med((r) => r.connectSeconds),
		generatorCpuPercent: med((r) => r.generator.cpuPercentOfCore),
		generatorLoopDelayP99Ms: med((r) => r.generator.loopDelayMs.p99),
		// Older result files have no GC figures: NaN, shown as such.
		generatorGcMsPerSecond: med((r) => (r.generator.gc ? r.generator.gc.totalMs / r.windowSeconds : NaN)),
		machineBusyPercent: med((r) => r.machineBusyPercent),
		otherCpuPercentOfCore: med((r) => r.otherCpuPercentOfCore),
		storage: stored && { writes: stored.count, ...latencyFigures(stored) },
		relay: relayed && { updates: relayed.count, ...latencyFigures(relayed) }
	};
}

/** Verkosto (the first server) against each other one. */
export function allRatios(servers: ServerSummary[]): Record<string, Record<string, number>> {
	const [first, ...peers] = servers;
	return first ? Object.fromEntries(peers.map((p) => [p.key, ratios(first, p)])) : {};
}

/** Student's t, two-sided 95 %, for 1 to 9 degrees of freedom (rounds are at most 10). */
const t95 = [NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262];

/**
 * The geometric mean of same-round ratios, with a 95 % interval (a t interval on their logarithms).
 * One round's p99 ratio has moved between 0.8× and 2.4× on this shared machine, so a single ratio
 * says little; the interval says what the rounds of one run can show. NaN without two rounds.
 */
export function roundRatioInterval(a: number[], b: number[]): { mean: number; low: number; high: number } {
	const logs = a.flatMap((x, i) => (x > 0 && b[i]! > 0 ? [Math.log(x / b[i]!)] : []));
	const n = logs.length;
	if (n < 2) return { mean: NaN, low: NaN, high: NaN };
	const mean = logs.reduce((sum, x) => sum + x, 0) / n;
	const sd = Math.sqrt(logs.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (n - 1));
	const half = (t95[n - 1] ?? 1.96) * (sd / Math.sqrt(n));
	return { mean: Math.exp(mean), low: Math.exp(mean - half), high: Math.exp(mean + half) };
}

export function ratios(a: ServerSummary, b: ServerSummary): Record<string, number> {
	const r = (x: number | undefined, y: number | undefined) => (x !== undefined && y !== undefined && y !== 0 ? x / y : NaN);
	const byRound = roundRatioInterval(a.editP99ByRound, b.editP99ByRound);
	return {
		editP99ByRoundMean: byRound.mean,
		editP99ByRoundLow: byRound.low,
		editP99ByRoundHigh: byRound.high,
		editP50: r(a.editLatencyMs?.p50, b.editLatencyMs?.p50),
		editP99: r(a.editLatencyMs?.p99, b.editLatencyMs?.p99),
		editP999: r(a.editLatencyMs?.p999, b.editLatencyMs?.p999),
		editMax: r(a.editLatencyMs?.max, b.editLatencyMs?.max),
		awarenessP50: r(a.awarenessLatencyMs?.p50, b.awarenessLatencyMs?.p50),
		awarenessP99: r(a.awarenessLatencyMs?.p99, b.awarenessLatencyMs?.p99),
		cpu: r(a.cpuPercentOfCore, b.cpuPercentOfCore),
		gc: r(a.serverGcMsPerSecond, b.serverGcMsPerSecond),
		heapPerMeeting: r(a.heapPerMeetingBytes, b.heapPerMeetingBytes),
		rssPerMeeting: r(a.rssDuringWindowPerMeetingBytes, b.rssDuringWindowPerMeetingBytes)
	};
}

// --- formatting -------------------------------------------------------------------------------------

export const ms = (x: number | undefined, digits = 2) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(digits));
export const kib = (bytes: number) => (Number.isNaN(bytes) ? '–' : `${(bytes / 1024).toFixed(0)} KiB`);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const pct = (x: number) => `${x.toFixed(0)} %`;
const ratio = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : `${x.toFixed(2)}×`);
const us = (msValue: number | undefined) => (msValue === undefined || Number.isNaN(msValue) ? '–' : `${(msValue * 1000).toFixed(0)} µs`);

function table(header: string[], rows: string[][]): string {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
	const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
	return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function markdownTable(header: string[], rows: string[][], align?: ('l' | 'r')[]): string {
	const sep = header.map((_, i) => ((align?.[i] ?? (i === 0 ? 'l' : 'r')) === 'r' ? '---:' : ':---'));
	return [header, sep, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function phaseRows(phases: PhaseResult[], labels: Map<string, string>): string[][] {
	return phases.map((p) => [
		`${p.sequence}. ${labels.get(p.serverKey) ?? p.serverKey}`,
		p.edits.perSecond.toFixed(0),
		ms(p.edits.latencyMs?.p50),
		ms(p.edits.latencyMs?.p99),
		ms(p.edits.latencyMs?.max, 1),
		ms(p.awareness.latencyMs?.p99),
		`${p.edits.missing}/${p.awareness.missing}/${p.disconnects}`,
		pct(p.server.cpuPercentOfCore),
		kib(p.memory.perMeeting.heapUsed),
		kib(p.memory.perMeeting.rssDuringWindow),
		p.storage ? `${us(p.storage.p50Ms)} / ${us(p.storage.p99Ms)}` : '–',
		`${pct(p.generator.cpuPercentOfCore)}, ${ms(p.generator.loopDelayMs.p99, 1)}`,
		pct(p.machineBusyPercent),
		pct(p.otherCpuPercentOfCore) + (p.attempts > 1 ? ` (best of ${p.attempts})` : '')
	]);
}

const phaseHeader = [
	'run',
	'edits/s',
	'p50 ms',
	'p99 ms',
	'max ms',
	'aw p99 ms',
	'missing e/a/disc',
	'srv CPU',
	'heap/mtg',
	'RSS/mtg',
	'store p50/p99',
	'gen CPU, loop p99 ms',
	'machine busy',
	'other CPU'
];

interface Row {
	label: string;
	value: (s: ServerSummary) => string;
	/** Key into the ratios of the first server to each other one. */
	ratio?: string;
	/** The ratio cell, for a row whose ratio is more than one number. */
	ratioText?: (ratios: Record<string, number>) => string;
}

const summaryRows: Row[] = [
	{ label: 'Edit-to-peer latency p50', value: (s) => `${ms(s.editLatencyMs?.p50)} ms`, ratio: 'editP50' },
	{ label: 'Edit-to-peer latency p99', value: (s) => `${ms(s.editLatencyMs?.p99)} ms`, ratio: 'editP99' },
	{ label: 'Edit-to-peer latency p99.9', value: (s) => `${ms(s.editLatencyMs?.p999)} ms`, ratio: 'editP999' },
	{ label: 'Edit-to-peer latency max', value: (s) => `${ms(s.editLatencyMs?.max, 1)} ms`, ratio: 'editMax' },
	{
		label: 'p99 of each round; ratio: geometric mean of the rounds (95 % interval)',
		value: (s) => s.editP99ByRound.map((x) => ms(x)).join(', ') + ' ms',
		ratioText: (q) =>
			Number.isNaN(q.editP99ByRoundMean)
				? '–'
				: `${ratio(q.editP99ByRoundMean)} (${ratio(q.editP99ByRoundLow)}–${ratio(q.editP99ByRoundHigh)})`
	},
	{ label: 'Awareness (cursor) latency p50', value: (s) => `${ms(s.awarenessLatencyMs?.p50)} ms`, ratio: 'awarenessP50' },
	{ label: 'Awareness (cursor) latency p99', value: (s) => `${ms(s.awarenessLatencyMs?.p99)} ms`, ratio: 'awarenessP99' },
	{ label: 'Latency samples (edit × peer)', value: (s) => String(s.editLatencyMs?.count ?? 0) },
	{ label: 'Edits/s achieved (median of rounds)', value: (s) => s.editsPerSecond.toFixed(0) },
	{ label: 'Missing deliveries: edits / awareness; disconnects', value: (s) => `${s.editsMissing} / ${s.awarenessMissing}; ${s.disconnects}` },
	{ label: 'Server CPU (% of one core)', value: (s) => pct(s.cpuPercentOfCore), ratio: 'cpu' },
	{ label: 'Server event-loop delay p99; max', value: (s) => `${ms(s.serverLoopDelayP99Ms)} ms; ${ms(s.serverLoopDelayMaxMs, 0)} ms` },
	{
		label: 'Server GC pauses (ms per s of window); longest',
		value: (s) => `${ms(s.serverGcMsPerSecond, 1)} ms/s; ${ms(s.serverGcMaxMs, 1)} ms`,
		ratio: 'gc'
	},
	{ label: 'Server disk writes (/proc/PID/io write_bytes)', value: (s) => `${(s.diskWriteBytesPerSecond / 2 ** 20).toFixed(2)} MiB/s` },
	{ label: 'Heap per meeting (after GC, loaded − idle) / K', value: (s) => kib(s.heapPerMeetingBytes), ratio: 'heapPerMeeting' },
	{ label: 'RSS per meeting (during window − idle) / K', value: (s) => kib(s.rssDuringWindowPerMeetingBytes), ratio: 'rssPerMeeting' },
	{ label: 'RSS during window', value: (s) => mib(s.rssDuringWindowBytes) },
	{
		label: 'Storage write p50 / p99 (histogram, interpolated)',
		value: (s) => (s.storage ? `${us(s.storage.p50Ms)} / ${us(s.storage.p99Ms)}` : '–')
	},
	{
		label: 'Storage write p50 / p99 bucket bound; mean',
		value: (s) => (s.storage ? `≤ ${us(s.storage.p50BucketMs)} / ≤ ${us(s.storage.p99BucketMs)}; ${us(s.storage.meanMs)}` : '–')
	},
	{
		label: 'Server pipeline, arrival → relayed: p50 / p99 (histogram, interpolated); mean',
		value: (s) => (s.relay ? `${us(s.relay.p50Ms)} / ${us(s.relay.p99Ms)}; ${us(s.relay.meanMs)}` : '–')
	},
	{ label: 'Time for all K×M clients to connect and sync', value: (s) => `${s.connectSeconds.toFixed(1)} s` },
	{
		label: 'Load generator CPU; its event-loop delay p99; its GC pauses',
		value: (s) => `${pct(s.generatorCpuPercent)}; ${ms(s.generatorLoopDelayP99Ms, 1)} ms; ${ms(s.generatorGcMsPerSecond, 1)} ms/s`
	},
	{ label: 'Whole machine busy (all cores = 100 %)', value: (s) => pct(s.machineBusyPercent) },
	{ label: 'CPU of other processes on the machine (% of one core)', value: (s) => pct(s.otherCpuPercentOfCore) }
];

/** The summary table: one column per server, then one ratio column per peer (first server / peer). */
function summaryTable(results: Results): { header: string[]; rows: string[][] } {
	const [first, ...peers] = results.servers;
	const q = results.ratios ?? {};
	return {
		header: ['', ...results.servers.map((s) => s.label), ...peers.map((p) => `ratio ${first?.label} / ${p.label}`)],
		rows: summaryRows.map((row) => [
			row.label,
			...results.servers.map(row.value),
			...peers.map((p) => (row.ratioText && q[p.key] ? row.ratioText(q[p.key]!) : row.ratio ? ratio(q[p.key]?.[row.ratio]) : ''))
		])
	};
}

/** Same-round comparison: every server measured minutes apart, under the noise stated beside them. */
function roundTable(results: Results): { header: string[]; rows: string[][] } | undefined {
	const [first, ...peers] = results.servers;
	if (!first || peers.length === 0) return undefined;
	const rows: string[][] = [];
	const cell = (phases: PhaseResult[], f: (p: PhaseResult) => number | undefined, format: (v: number | undefined) => string, withRatio: boolean) => {
		const values = phases.map(f);
		const [a, ...rest] = values;
		const text = values.map(format).join(' / ');
		if (!withRatio) return text;
		return `${text} (${rest.map((b) => ratio(a !== undefined && b !== undefined && b !== 0 ? a / b : undefined)).join(', ')})`;
	};
	for (let round = 1; round <= results.options.rounds; round++) {
		const phases = results.servers.map((s) => results.phases.find((p) => p.round === round && p.serverKey === s.key));
		if (phases.some((p) => !p)) continue;
		const ps = phases as PhaseResult[];
		rows.push([
			String(round),
			cell(ps, (p) => p.otherCpuPercentOfCore, (v) => (v === undefined ? '–' : pct(v)), false),
			cell(ps, (p) => p.edits.latencyMs?.p50, (v) => ms(v), true),
			cell(ps, (p) => p.edits.latencyMs?.p99, (v) => ms(v), true),
			cell(ps, (p) => p.edits.latencyMs?.max, (v) => ms(v, 1), true),
			cell(ps, (p) => p.server.cpuPercentOfCore, (v) => (v === undefined ? '–' : pct(v)), true)
		]);
	}
	const letter = (s: ServerSummary) => s.letter ?? s.key.slice(0, 1).toUpperCase();
	const names = results.servers.map(letter).join(' / ');
	const ratioNames = peers.map((p) => `${letter(first)}/${letter(p)}`).join(', ');
	return {
		header: ['round', `other CPU (${names})`, ...['p50 ms', 'p99 ms', 'max ms', 'server CPU'].map((h) => `${h} (${names}; ${ratioNames})`)],
		rows
	};
}

/** "V = Verkosto, R = …": the letters the round table and the run order use. */
function legend(results: Results): string {
	return results.servers.map((s) => `${s.letter ?? s.key.slice(0, 1).toUpperCase()} = ${s.label}`).join(', ');
}

/** Issue 8's goals for Verkosto, judged on this run's figures. */
export function goals(results: Results): { goal: string; figure: string; met: boolean | undefined }[] {
	const v = results.servers.find((s) => s.key === 'verkosto');
	if (!v) return [];
	const o = results.options;
	const full = o.meetings >= 500 && o.clients >= 8;
	const p99 = v.editLatencyMs?.p99;
	const perMeeting = v.rssDuringWindowPerMeetingBytes;
	const delivered = v.editsMissing === 0 && v.disconnects === 0;
	return [
		{
			goal: 'edit-to-peer p99 ≤ 10 ms at 500 × 8, every update on disk first',
			figure:
				`p99 ${ms(p99)} ms at ${o.meetings} × ${o.clients}` +
				(full ? '' : ' (not the full load: the goal is judged at 500 × 8 only)') +
				(delivered ? '' : `; ${v.editsMissing} deliveries missing, ${v.disconnects} disconnects`),
			met: full ? p99 !== undefined && p99 <= 10 && delivered : undefined
		},
		{
			goal: '≤ 0.5 MiB per active meeting',
			figure:
				`RSS ${kib(perMeeting)}, heap ${kib(v.heapPerMeetingBytes)} per meeting at ${o.meetings} × ${o.clients}` +
				(o.meetings >= 100 && o.clients >= 8 ? '' : ' (too few or too small meetings to judge: at least 100 × 8)'),
			// Fewer meetings leave the division by K to noise; a meeting of fewer participants is not the goal's.
			met: Number.isFinite(perMeeting) && o.meetings >= 100 && o.clients >= 8 ? perMeeting <= 512 * 1024 && v.heapPerMeetingBytes <= 512 * 1024 : undefined
		}
	];
}

const verdict = (met: boolean | undefined) => (met === undefined ? 'not judged' : met ? 'met' : '**not met**');

function joinRows(join: JoinResult[]): { header: string[]; rows: string[][] } {
	const med = (t: JoinTiming[], f: (x: JoinTiming) => number) => median(t.map(f));
	const each = (t: JoinTiming[]) => t.map((x) => x.appliedMs.toFixed(0)).join(', ');
	const base = join[0];
	return {
		header: [
			'',
			'history',
			'state sent',
			'warm join: synced / applied (median)',
			'cold join: synced / applied (median)',
			'cold joins, each (ms)',
			'cold loads from',
			'unload after last leaves',
			'complete',
			...(join.length > 1 ? [`cold join ratio ${base?.label} / peer`] : [])
		],
		rows: join.map((j) => [
			j.label,
			`${j.historyUpdates} updates`,
			`${(j.stateBytes / 1024).toFixed(1)} KiB`,
			`${ms(med(j.warm, (x) => x.syncedMs), 1)} / ${ms(med(j.warm, (x) => x.appliedMs), 1)} ms`,
			`${ms(med(j.cold, (x) => x.syncedMs), 1)} / ${ms(med(j.cold, (x) => x.appliedMs), 1)} ms`,
			each(j.cold),
			j.coldFrom === 'storage' ? 'storage (after an unload)' : 'memory (never unloads)',
			Number.isFinite(j.unloadSeconds) ? `${j.unloadSeconds.toFixed(1)} s` : '–',
			[...j.warm, ...j.cold].every((x) => x.complete) ? 'yes' : 'NO',
			...(join.length > 1 && base
				? [j === base ? '' : ratio(med(base.cold, (x) => x.appliedMs) / med(j.cold, (x) => x.appliedMs))]
				: [])
		])
	};
}

function frontendRows(f: FrontendResult): { header: string[]; rows: string[][] } {
	const kb = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
	const m = f.median;
	const within = (x: number, budget: number) => (x <= budget ? 'within' : '**over**');
	return {
		header: ['', 'median of page loads', 'budget', ''],
		rows: [
			['JavaScript loaded, gzipped (level 9)', kb(m.jsGzipBytes), kb(f.budgets.jsGzipBytes), within(m.jsGzipBytes, f.budgets.jsGzipBytes)],
			['JavaScript as transferred (the server\'s precompressed files)', kb(m.jsTransferredBytes), '', ''],
			['JavaScript decoded', kb(m.jsBytes), '', ''],
			['Script files', String(m.scripts), '', ''],
			['Time to interactive (synced, words field bound and editable)', `${m.interactiveMs.toFixed(0)} ms`, `${f.budgets.interactiveMs} ms`, within(m.interactiveMs, f.budgets.interactiveMs)],
			['DOMContentLoaded', `${m.domContentLoadedMs.toFixed(0)} ms`, '', ''],
			['load event', `${m.loadMs.toFixed(0)} ms`, '', ''],
			['Each load: time to interactive', f.loads.map((l) => l.interactiveMs.toFixed(0)).join(', ') + ' ms', '', ''],
			...(f.professional
				? [
						['A professional\'s page: JavaScript loaded until its editors are ready, gzipped', kb(f.professional.median.jsGzipBytes), kb(f.budgets.jsGzipBytes), within(f.professional.median.jsGzipBytes, f.budgets.jsGzipBytes)],
						['A professional\'s page: script files', String(f.professional.median.scripts), '', ''],
						['A professional\'s page: time to interactive (synced, CodeMirror editable)', `${f.professional.median.interactiveMs.toFixed(0)} ms`, `${f.budgets.interactiveMs} ms`, within(f.professional.median.interactiveMs, f.budgets.interactiveMs)]
					]
				: []),
			['Client phone (4× CPU, slow 3G, 360 × 740): interactive (words field took typing), median', `${f.phone.medianMs.toFixed(0)} ms`, `${f.budgets.phoneInteractiveMs} ms`, within(f.phone.medianMs, f.budgets.phoneInteractiveMs)],
			['Client phone: interactive, p99 (nearest rank)', `${f.phone.p99Ms.toFixed(0)} ms`, `${f.budgets.phoneInteractiveMs} ms`, within(f.phone.p99Ms, f.budgets.phoneInteractiveMs)],
			['Client phone: interactive, each load', f.phone.interactiveMs.map((ms) => ms.toFixed(0)).join(', ') + ' ms', '', ''],
			...(f.phone.liveMs
				? [
						['Client phone: live (typing synced and stored), median', `${f.phone.liveMedianMs.toFixed(0)} ms`, '', ''],
						['Client phone: live, p99 (nearest rank)', `${f.phone.liveP99Ms.toFixed(0)} ms`, '', ''],
						['Client phone: live, each load', f.phone.liveMs.map((ms) => ms.toFixed(0)).join(', ') + ' ms', '', '']
					]
				: [])
		]
	};
}

export function consoleReport(results: Results): string {
	const labels = new Map(results.servers.map((s) => [s.key, s.label]));
	const out: string[] = [''];
	if (results.servers.length > 0) {
		const summary = summaryTable(results);
		const rounds = roundTable(results);
		out.push(
			`Per run (${results.options.meetings} meetings × ${results.options.clients} clients, ${results.options.windowS} s window):`,
			table(phaseHeader, phaseRows(results.phases, labels)),
			...(rounds ? ['', `Round by round (${legend(results)}; same-round ratios; "other CPU" is the noise, % of one core):`, table(rounds.header, rounds.rows)] : []),
			'',
			`Summary (latency pooled over ${results.options.rounds} round(s); other figures: median of rounds); ratio = first server / peer:`,
			table(summary.header, summary.rows),
			'',
			'Goals (issue 8), Verkosto:',
			...goals(results).map((g) => `  ${g.goal}: ${verdict(g.met).replace(/\*/g, '')} (${g.figure})`)
		);
	}
	if (results.join && results.join.length > 0) {
		const t = joinRows(results.join);
		out.push('', `Joining a meeting with a history of ${results.join[0]?.historyUpdates} updates:`, table(t.header, t.rows));
	}
	if (results.frontend) {
		const t = frontendRows(results.frontend);
		out.push('', 'The room page (production build, Chromium, loopback):', table(t.header, t.rows.map((r) => r.map((c) => c.replace(/\*/g, '')))));
	} else if (results.frontendSkipped) {
		out.push('', `The room page: skipped (${results.frontendSkipped})`);
	}
	if (results.failures.length > 0) {
		out.push('', 'Failed attempts:', ...results.failures.map((f) => `  ${f.sequence}. ${f.server} attempt ${f.attempt}: ${f.error}`));
	}
	out.push('');
	return out.join('\n');
}

function machineLine(results: Results): string {
	const m = results.machine;
	return (
		`- Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.kernel}, Node ${m.node}; ` +
		`load average ${m.loadAverageAtStart.join(' / ')} at start (a shared machine: other work may run beside the benchmark).`
	);
}

function verkostoLine(results: Results): string {
	return (
		`- Verkosto: commit ${results.verkosto.commit}` +
		(results.verkosto.uncommitted.length > 0 ? ` plus uncommitted changes in ${results.verkosto.uncommitted.join(', ')}` : '') +
		`, SQLITE_SYNC=${results.options.syncMode}.`
	);
}

function runHeader(results: Results, command: string): string[] {
	return [`Run of ${results.date}, ${Math.round(results.durationSeconds)} s in all. Reproduce with:`, '', '```sh', command, '```', ''];
}

/** The command that reproduces one part of a run (the run's command, limited to that part). */
export function partCommand(results: Results, part: string): string {
	const o = results.options;
	if (!o.parts || (o.parts.length === 1 && o.parts[0] === part)) return results.command;
	const withParts = results.command.includes(' -- ') ? results.command : `${results.command} --`;
	return withParts.replace(/ --parts \S+/, '') + ` --parts ${part}`;
}

/** The load part as Markdown (the block `load-KxM` of docs/performance.md). */
export function markdownLoad(results: Results, charts: string[] = []): string {
	const o = results.options;
	const labels = new Map(results.servers.map((s) => [s.key, s]));
	const summary = summaryTable(results);
	const rounds = roundTable(results);
	const admission = results.phases.find((p) => p.serverKey === 'verkosto')?.admission;
	return [
		...runHeader(results, partCommand(results, 'load')),
		machineLine(results),
		`- Load: ${o.meetings} meetings × ${o.clients} clients = ${o.meetings * o.clients} ` +
			(o.client === 'provider'
				? 'stock y-websocket 3.1.0 `WebsocketProvider`s'
				: '"light" clients (real Y.Doc edits and each server\'s real protocol over ws; arrivals decoded, not integrated)') +
			` in one Node process, each editing every ${o.intervalMs} ms ± 10 %, awareness \`${o.awareness}\`, seed ${o.seed}; ` +
			`warm-up ${o.warmupS} s, measured window ${o.windowS} s, drain ${o.drainS} s; ${o.rounds} round(s), ` +
			`server order alternating between rounds (${results.phases.map((p) => labels.get(p.serverKey)?.letter ?? p.serverKey.slice(0, 1).toUpperCase()).join(' ')}).`,
		verkostoLine(results).replace(/\.$/, admission ? `; ${admission}.` : '.'),
		...results.servers.map((s) => `- ${s.label}: ${s.durability}.`),
		'',
		...charts.flatMap((c) => [`![${c.replace(/^.*\//, '')}](${c.replace(/^docs\//, '')})`, '']),
		'Goals of issue 8 for Verkosto, judged on this run:',
		'',
		markdownTable(
			['goal', 'this run', 'verdict'],
			goals(results).map((g) => [g.goal, g.figure, verdict(g.met)])
		),
		'',
		...(rounds
			? [
					`Round by round (${legend(results)}): each round measures every server minutes apart, so these ratios are the fairest on a shared machine. ` +
						'"other CPU" is what other processes used during each window (% of one core: the noise).',
					'',
					markdownTable(rounds.header, rounds.rows),
					'',
					`All rounds together (latency percentiles over every sample of every round; other figures: median of rounds). ` +
						`A disturbed round dominates the pooled tail:`,
					''
				]
			: []),
		markdownTable(summary.header, summary.rows),
		'',
		'Each run on its own (missing e/a/disc = undelivered edits / undelivered awareness updates / client disconnections; ' +
			'gen = the load generator):',
		'',
		markdownTable(phaseHeader, phaseRows(results.phases, new Map(results.servers.map((s) => [s.key, s.label])))),
		...(results.failures.some((f) => f.sequence > 0)
			? [
					'',
					'Failed attempts (run again where attempts were left):',
					'',
					...results.failures
						.filter((f) => f.sequence > 0)
						.map((f) => `- ${f.sequence}. ${labels.get(f.server)?.label ?? f.server}, attempt ${f.attempt}: ${f.error.split('\n')[0]}`)
				]
			: [])
	].join('\n');
}

/** The join part as Markdown (the block `join`). */
export function markdownJoin(results: Results, charts: string[] = []): string {
	const join = results.join ?? [];
	const t = joinRows(join);
	const o = results.options;
	const failures = results.failures.filter((f) => f.sequence === 0 && f.attempt === 0);
	return [
		...runHeader(results, partCommand(results, 'join')),
		machineLine(results),
		`- History: ${o.history} updates (one Y.Text insert each) written by ${o.clients} clients through the server, 40 a second each; ` +
			`then ${o.joins} warm join(s) (the writers still connected) and ${o.joins} cold join(s) (each after the server unloaded the document), ` +
			'each a fresh client on the server\'s real protocol, timed from opening the websocket to sync step 2 received ("synced") and applied to a new Y.Doc ("applied").',
		verkostoLine(results),
		'',
		...charts.flatMap((c) => [`![${c.replace(/^.*\//, '')}](${c.replace(/^docs\//, '')})`, '']),
		markdownTable(t.header, t.rows),
		...(failures.length > 0 ? ['', ...failures.map((f) => `- ${f.server} failed: ${f.error.split('\n')[0]}`)] : [])
	].join('\n');
}

/** The front-end part as Markdown (the block `frontend`). */
export function markdownFrontend(results: Results): string {
	const f = results.frontend;
	if (!f) return [...runHeader(results, partCommand(results, 'frontend')), `Skipped: ${results.frontendSkipped ?? 'not run'}.`].join('\n');
	const t = frontendRows(f);
	const kb = (b: number) => `${(b / 1024).toFixed(1)}`;
	return [
		...runHeader(results, partCommand(results, 'frontend')),
		machineLine(results),
		`- Build: \`${f.build}\` (SvelteKit version ${f.buildVersion}), served by its own \`server.js\` on 127.0.0.1; ` +
			`Chromium ${f.chromium}, headless; ${f.loads.length} page loads of \`/meetings/<id>\` as an invited guest, each in a fresh context (empty cache), after one uncounted load.`,
		verkostoLine(results),
		'',
		markdownTable(t.header, t.rows),
		'',
		`Scripts of one load, largest first (KiB; "holds" is recognised by strings each library leaves in its code):`,
		'',
		markdownTable(
			['file', 'decoded', 'gzipped', 'holds'],
			[
				...f.files.slice(0, 8).map((x) => [`\`${x.path.replace(/^\/_app\/immutable\//, '')}\``, kb(x.bytes), kb(x.gzipBytes), x.holds?.join(', ') ?? '']),
				...(f.files.length > 8
					? [[`${f.files.length - 8} smaller files`, kb(f.files.slice(8).reduce((n, x) => n + x.bytes, 0)), kb(f.files.slice(8).reduce((n, x) => n + x.gzipBytes, 0)), '']]
					: [])
			],
			['l', 'r', 'r', 'l']
		)
	].join('\n');
}
