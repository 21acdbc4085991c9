/** Summaries over rounds, ratios between servers, the console table and the generated Markdown. */
import { Samples, histogramQuantile, median, summarize, type Histogram, type Summary } from './measure.js';
import type { machineInfo } from './measure.js';
import type { VerkostoSource } from './checkout.js';
import type { BenchOptions } from './options.js';
import type { PhaseOutcome, PhaseResult } from './phase.js';

export interface ServerSummary {
	key: string;
	label: string;
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
	diskWriteBytesPerSecond: number;
	heapPerMeetingBytes: number;
	rssPerMeetingBytes: number;
	rssDuringWindowPerMeetingBytes: number;
	rssDuringWindowBytes: number;
	connectSeconds: number;
	generatorCpuPercent: number;
	generatorLoopDelayP99Ms: number;
	machineBusyPercent: number;
	otherCpuPercentOfCore: number;
	storage?: { writes: number; meanMs: number; p50Ms?: number; p99Ms?: number; p50BucketMs?: number; p99BucketMs?: number };
}

export interface Results {
	date: string;
	command: string;
	options: BenchOptions;
	machine: ReturnType<typeof machineInfo>;
	verkosto: VerkostoSource;
	durationSeconds: number;
	servers: ServerSummary[];
	/** first / second server (Verkosto / reference) for the headline figures. */
	ratios?: Record<string, number>;
	phases: PhaseResult[];
	/** Attempts that failed (and were run again, if attempts were left). */
	failures: { server: string; sequence: number; attempt: number; error: string }[];
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
	server: { key: string; label: string; durability: string },
	outcomes: PhaseOutcome[]
): ServerSummary {
	const results = outcomes.map((o) => o.result);
	const med = (f: (r: PhaseResult) => number) => median(results.map(f));
	const histograms = results.flatMap((r) => (r.storage ? [r.storage.histogram] : []));
	const pooled = sumHistograms(histograms);
	let storage: ServerSummary['storage'];
	if (pooled) {
		const p50 = histogramQuantile(pooled, 0.5);
		const p99 = histogramQuantile(pooled, 0.99);
		storage = {
			writes: pooled.count,
			meanMs: pooled.count > 0 ? (pooled.sum / pooled.count) * 1000 : NaN,
			p50Ms: p50 && p50.estimate * 1000,
			p99Ms: p99 && p99.estimate * 1000,
			p50BucketMs: p50 && p50.bucketUpper * 1000,
			p99BucketMs: p99 && p99.bucketUpper * 1000
		};
	}
	return {
		key: server.key,
		label: server.label,
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
		serverLoopDelayMaxMs: Math.max(...results.map((r) => r.server.loopDelayMs.max).filter(Number.isFinite)),
		diskWriteBytesPerSecond: med((r) => r.server.diskWriteBytesPerSecond),
		heapPerMeetingBytes: med((r) => r.memory.perMeeting.heapUsed),
		rssPerMeetingBytes: med((r) => r.memory.perMeeting.rss),
		rssDuringWindowPerMeetingBytes: med((r) => r.memory.perMeeting.rssDuringWindow),
		rssDuringWindowBytes: med((r) => r.memory.rssDuringWindow.median),
		connectSeconds: med((r) => r.connectSeconds),
		generatorCpuPercent: med((r) => r.generator.cpuPercentOfCore),
		generatorLoopDelayP99Ms: med((r) => r.generator.loopDelayMs.p99),
		machineBusyPercent: med((r) => r.machineBusyPercent),
		otherCpuPercentOfCore: med((r) => r.otherCpuPercentOfCore),
		storage
	};
}

export function ratios(a: ServerSummary, b: ServerSummary): Record<string, number> {
	const r = (x: number | undefined, y: number | undefined) => (x !== undefined && y !== undefined && y !== 0 ? x / y : NaN);
	return {
		editP50: r(a.editLatencyMs?.p50, b.editLatencyMs?.p50),
		editP99: r(a.editLatencyMs?.p99, b.editLatencyMs?.p99),
		editP999: r(a.editLatencyMs?.p999, b.editLatencyMs?.p999),
		editMax: r(a.editLatencyMs?.max, b.editLatencyMs?.max),
		awarenessP50: r(a.awarenessLatencyMs?.p50, b.awarenessLatencyMs?.p50),
		awarenessP99: r(a.awarenessLatencyMs?.p99, b.awarenessLatencyMs?.p99),
		cpu: r(a.cpuPercentOfCore, b.cpuPercentOfCore),
		heapPerMeeting: r(a.heapPerMeetingBytes, b.heapPerMeetingBytes),
		rssPerMeeting: r(a.rssDuringWindowPerMeetingBytes, b.rssDuringWindowPerMeetingBytes)
	};
}

// --- formatting -------------------------------------------------------------------------------------

const ms = (x: number | undefined, digits = 2) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(digits));
const kib = (bytes: number) => (Number.isNaN(bytes) ? '–' : `${(bytes / 1024).toFixed(0)} KiB`);
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
	ratio?: string;
}

function summaryRows(results: Results): Row[] {
	const q = results.ratios ?? {};
	return [
		{ label: 'Edit-to-peer latency p50', value: (s) => `${ms(s.editLatencyMs?.p50)} ms`, ratio: ratio(q.editP50) },
		{ label: 'Edit-to-peer latency p99', value: (s) => `${ms(s.editLatencyMs?.p99)} ms`, ratio: ratio(q.editP99) },
		{ label: 'Edit-to-peer latency p99.9', value: (s) => `${ms(s.editLatencyMs?.p999)} ms`, ratio: ratio(q.editP999) },
		{ label: 'Edit-to-peer latency max', value: (s) => `${ms(s.editLatencyMs?.max, 1)} ms`, ratio: ratio(q.editMax) },
		{ label: 'p99 of each round', value: (s) => s.editP99ByRound.map((x) => ms(x)).join(', ') + ' ms' },
		{ label: 'Awareness (cursor) latency p50', value: (s) => `${ms(s.awarenessLatencyMs?.p50)} ms`, ratio: ratio(q.awarenessP50) },
		{ label: 'Awareness (cursor) latency p99', value: (s) => `${ms(s.awarenessLatencyMs?.p99)} ms`, ratio: ratio(q.awarenessP99) },
		{ label: 'Latency samples (edit × peer)', value: (s) => String(s.editLatencyMs?.count ?? 0) },
		{ label: 'Edits/s achieved (median of rounds)', value: (s) => s.editsPerSecond.toFixed(0) },
		{ label: 'Missing deliveries: edits / awareness; disconnects', value: (s) => `${s.editsMissing} / ${s.awarenessMissing}; ${s.disconnects}` },
		{ label: 'Server CPU (% of one core)', value: (s) => pct(s.cpuPercentOfCore), ratio: ratio(q.cpu) },
		{ label: 'Server event-loop delay p99; max', value: (s) => `${ms(s.serverLoopDelayP99Ms)} ms; ${ms(s.serverLoopDelayMaxMs, 0)} ms` },
		{ label: 'Server disk writes (/proc/PID/io write_bytes)', value: (s) => `${(s.diskWriteBytesPerSecond / 2 ** 20).toFixed(2)} MiB/s` },
		{ label: 'Heap per meeting (after GC, loaded − idle) / K', value: (s) => kib(s.heapPerMeetingBytes), ratio: ratio(q.heapPerMeeting) },
		{ label: 'RSS per meeting (during window − idle) / K', value: (s) => kib(s.rssDuringWindowPerMeetingBytes), ratio: ratio(q.rssPerMeeting) },
		{ label: 'RSS during window', value: (s) => mib(s.rssDuringWindowBytes) },
		{
			label: 'Storage write p50 / p99 (histogram, interpolated)',
			value: (s) => (s.storage ? `${us(s.storage.p50Ms)} / ${us(s.storage.p99Ms)}` : 'none (in memory)')
		},
		{
			label: 'Storage write p50 / p99 bucket bound; mean',
			value: (s) => (s.storage ? `≤ ${us(s.storage.p50BucketMs)} / ≤ ${us(s.storage.p99BucketMs)}; ${us(s.storage.meanMs)}` : '–')
		},
		{ label: 'Time for all K×M clients to connect and sync', value: (s) => `${s.connectSeconds.toFixed(1)} s` },
		{ label: 'Load generator CPU; its event-loop delay p99', value: (s) => `${pct(s.generatorCpuPercent)}; ${ms(s.generatorLoopDelayP99Ms, 1)} ms` },
		{ label: 'Whole machine busy (all cores = 100 %)', value: (s) => pct(s.machineBusyPercent) },
		{ label: 'CPU of other processes on the machine (% of one core)', value: (s) => pct(s.otherCpuPercentOfCore) }
	];
}

/** Same-round comparison: both servers measured minutes apart, under the noise stated beside them. */
function roundTable(results: Results): { header: string[]; rows: string[][] } | undefined {
	const [a, b] = results.servers;
	if (!a || !b) return undefined;
	const pair = (x: number | undefined, y: number | undefined, f: (v: number | undefined) => string) =>
		`${f(x)} / ${f(y)} (${ratio(x !== undefined && y !== undefined && y !== 0 ? x / y : undefined)})`;
	const rows: string[][] = [];
	for (let round = 1; round <= results.options.rounds; round++) {
		const pa = results.phases.find((p) => p.round === round && p.serverKey === a.key);
		const pb = results.phases.find((p) => p.round === round && p.serverKey === b.key);
		if (!pa || !pb) continue;
		rows.push([
			String(round),
			`${pct(pa.otherCpuPercentOfCore)} / ${pct(pb.otherCpuPercentOfCore)}`,
			pair(pa.edits.latencyMs?.p50, pb.edits.latencyMs?.p50, (v) => ms(v)),
			pair(pa.edits.latencyMs?.p99, pb.edits.latencyMs?.p99, (v) => ms(v)),
			pair(pa.edits.latencyMs?.max, pb.edits.latencyMs?.max, (v) => ms(v, 1)),
			pair(pa.server.cpuPercentOfCore, pb.server.cpuPercentOfCore, (v) => (v === undefined ? '–' : pct(v)))
		]);
	}
	return {
		header: ['round', 'other CPU', 'p50 ms', 'p99 ms', 'max ms', 'server CPU'].map((h, i) => (i < 2 ? h : `${h} (${a.label} / ${b.label})`)),
		rows
	};
}

export function consoleReport(results: Results): string {
	const labels = new Map(results.servers.map((s) => [s.key, s.label]));
	const rows = summaryRows(results);
	const hasRatio = results.servers.length >= 2;
	const summary = table(
		['', ...results.servers.map((s) => s.label), ...(hasRatio ? ['ratio'] : [])],
		rows.map((row) => [row.label, ...results.servers.map(row.value), ...(hasRatio ? [row.ratio ?? ''] : [])])
	);
	return [
		'',
		`Per run (${results.options.meetings} meetings × ${results.options.clients} clients, ${results.options.windowS} s window):`,
		table(phaseHeader, phaseRows(results.phases, labels)),
		...(results.failures.length > 0
			? ['', 'Failed attempts:', ...results.failures.map((f) => `  ${f.sequence}. ${f.server} attempt ${f.attempt}: ${f.error}`)]
			: []),
		...(() => {
			const t = roundTable(results);
			return t ? ['', 'Round by round (same-round ratios; "other CPU" is the noise, % of one core):', table(t.header, t.rows)] : [];
		})(),
		'',
		`Summary (latency pooled over ${results.options.rounds} round(s); other figures: median of rounds)` +
			(hasRatio ? `, ratio = ${results.servers[0]?.label} / ${results.servers[1]?.label}:` : ':'),
		summary,
		''
	].join('\n');
}

export function markdownReport(results: Results): string {
	const o = results.options;
	const m = results.machine;
	const labels = new Map(results.servers.map((s) => [s.key, s.label]));
	const hasRatio = results.servers.length >= 2;
	const rows = summaryRows(results);
	return [
		`Run of ${results.date}, ${Math.round(results.durationSeconds)} s in all. Reproduce with:`,
		'',
		'```sh',
		results.command,
		'```',
		'',
		`- Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.kernel}, Node ${m.node}; ` +
			`load average ${m.loadAverageAtStart.join(' / ')} at start (a shared machine: other work may run beside the benchmark).`,
		`- Load: ${o.meetings} meetings × ${o.clients} clients = ${o.meetings * o.clients} ` +
			(o.client === 'provider'
				? 'stock y-websocket 3.1.0 `WebsocketProvider`s'
				: '"light" clients (real Y.Doc edits and the y-websocket protocol over ws; arrivals decoded, not integrated)') +
			` in one Node process, each editing every ${o.intervalMs} ms ± 10 %, awareness \`${o.awareness}\`, seed ${o.seed}; ` +
			`warm-up ${o.warmupS} s, measured window ${o.windowS} s, drain ${o.drainS} s; ${o.rounds} round(s), ` +
			`server order alternating between rounds (${results.phases.map((p) => labels.get(p.serverKey) === 'Verkosto' ? 'V' : 'R').join(' ')}).`,
		`- Verkosto: commit ${results.verkosto.commit}` +
			(results.verkosto.uncommitted.length > 0 ? ` plus uncommitted changes in ${results.verkosto.uncommitted.join(', ')}` : '') +
			`, SQLITE_SYNC=${o.syncMode}; ${results.phases.find((p) => p.serverKey === 'verkosto')?.admission ?? ''}. ` + results.servers.map((s) => `${s.label}: ${s.durability}.`).join(' '),
		'',
		...(() => {
			const t = roundTable(results);
			return t
				? [
						'Round by round: each round measures both servers minutes apart, so these ratios are the fairest on a shared machine. ' +
							'"other CPU" is what other processes used during each window (% of one core: the noise).',
						'',
						markdownTable(t.header, t.rows),
						'',
						`All rounds together (latency percentiles over every sample of every round; other figures: median of rounds). ` +
							`A disturbed round dominates the pooled tail:`,
						''
					]
				: [];
		})(),
		markdownTable(
			['', ...results.servers.map((s) => s.label), ...(hasRatio ? [`ratio ${results.servers[0]?.label} / ${results.servers[1]?.label}`] : [])],
			rows.map((row) => [row.label, ...results.servers.map(row.value), ...(hasRatio ? [row.ratio ?? ''] : [])])
		),
		'',
		'Each run on its own (missing e/a/disc = undelivered edits / undelivered awareness updates / client disconnections; ' +
			'gen = the load generator):',
		'',
		markdownTable(phaseHeader, phaseRows(results.phases, labels)),
		...(results.failures.length > 0
			? ['', 'Failed attempts (run again where attempts were left):', '', ...results.failures.map((f) => `- ${f.sequence}. ${labels.get(f.server) ?? f.server}, attempt ${f.attempt}: ${f.error.split('\n')[0]}`)]
			: [])
	].join('\n');
}
