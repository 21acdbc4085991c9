/**
 * Simple SVG charts of a run for docs/ (no library): horizontal bars, one group per figure, one bar per
 * server, with an optional goal line. Plain SVG 1.1 with its own styles, readable on GitHub and offline.
 */
import type { JoinResult } from './join.js';
import { median } from './measure.js';
import type { Results } from './report.js';

interface Bar {
	label: string;
	value: number;
	/** Shown beside the bar instead of the number. */
	text?: string;
}

interface Group {
	label: string;
	bars: Bar[];
}

interface ChartSpec {
	title: string;
	subtitle: string;
	unit: string;
	groups: Group[];
	log?: boolean;
	goal?: { value: number; label: string };
}

const colours = ['#1f6f8b', '#c1666b', '#8a7b3b', '#5b8c5a', '#6a4c93'];

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function niceMax(x: number): number {
	if (!(x > 0)) return 1;
	const p = 10 ** Math.floor(Math.log10(x));
	for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p;
	return 10 * p;
}

export function barChart(spec: ChartSpec): string {
	const width = 760;
	const left = 190;
	const right = 90;
	const barHeight = 16;
	const gap = 4;
	const groupGap = 16;
	const top = 70;
	const plotWidth = width - left - right;
	const values = spec.groups.flatMap((g) => g.bars.map((b) => b.value)).filter((v) => Number.isFinite(v) && v > 0);
	const legend = spec.groups[0]?.bars.map((b) => b.label) ?? [];
	const maxValue = Math.max(...values, spec.goal?.value ?? 0);
	let scale: (v: number) => number;
	let ticks: number[];
	if (spec.log) {
		const lo = 10 ** Math.floor(Math.log10(Math.max(Math.min(...values, spec.goal?.value ?? Infinity), 1e-3)));
		const hi = 10 ** Math.ceil(Math.log10(Math.max(maxValue, lo * 10)));
		scale = (v) => (v <= lo ? 0 : ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * plotWidth);
		ticks = [];
		for (let t = lo; t <= hi * 1.0001; t *= 10) ticks.push(t);
	} else {
		const hi = niceMax(maxValue);
		scale = (v) => (Math.max(0, v) / hi) * plotWidth;
		ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * hi);
	}
	const groupHeight = (n: number) => n * (barHeight + gap) - gap;
	const plotHeight = spec.groups.reduce((h, g) => h + groupHeight(g.bars.length) + groupGap, 0) - groupGap;
	const height = top + plotHeight + 46 + Math.ceil(legend.length / 3) * 18;
	const out: string[] = [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Verdana, sans-serif" font-size="12">`,
		`<title>${escape(spec.title)}</title>`,
		`<rect width="${width}" height="${height}" fill="#ffffff"/>`,
		`<text x="12" y="22" font-size="15" font-weight="bold" fill="#222">${escape(spec.title)}</text>`,
		`<text x="12" y="40" fill="#555">${escape(spec.subtitle)}</text>`
	];
	const format = (t: number) => (t >= 1000 ? `${t / 1000}k` : t >= 1 ? String(Math.round(t * 100) / 100) : String(t));
	for (const t of ticks) {
		const x = left + scale(t);
		out.push(`<line x1="${x}" y1="${top - 4}" x2="${x}" y2="${top + plotHeight + 4}" stroke="#e3e3e3"/>`);
		out.push(`<text x="${x}" y="${top + plotHeight + 18}" text-anchor="middle" fill="#666">${format(t)}</text>`);
	}
	out.push(`<text x="${left + plotWidth / 2}" y="${top + plotHeight + 34}" text-anchor="middle" fill="#444">${escape(spec.unit)}${spec.log ? ' (log scale)' : ''}</text>`);
	let y = top;
	for (const group of spec.groups) {
		const h = groupHeight(group.bars.length);
		out.push(`<text x="${left - 8}" y="${y + h / 2 + 4}" text-anchor="end" fill="#222">${escape(group.label)}</text>`);
		group.bars.forEach((bar, i) => {
			const w = Number.isFinite(bar.value) ? Math.max(1, scale(bar.value)) : 0;
			const by = y + i * (barHeight + gap);
			out.push(`<rect x="${left}" y="${by}" width="${w.toFixed(1)}" height="${barHeight}" fill="${colours[i % colours.length]}"><title>${escape(`${bar.label}: ${bar.text ?? bar.value}`)}</title></rect>`);
			out.push(`<text x="${left + w + 4}" y="${by + barHeight - 4}" fill="#222">${escape(bar.text ?? (Number.isFinite(bar.value) ? String(Math.round(bar.value * 100) / 100) : 'n/a'))}</text>`);
		});
		y += h + groupGap;
	}
	if (spec.goal) {
		const x = left + scale(spec.goal.value);
		out.push(`<line x1="${x}" y1="${top - 8}" x2="${x}" y2="${top + plotHeight + 4}" stroke="#b00020" stroke-width="1.5" stroke-dasharray="5 3"/>`);
		out.push(`<text x="${x + 4}" y="${top - 10}" fill="#b00020">${escape(spec.goal.label)}</text>`);
	}
	legend.forEach((label, i) => {
		const lx = 12 + (i % 3) * 250;
		const ly = top + plotHeight + 46 + Math.floor(i / 3) * 18;
		out.push(`<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${colours[i % colours.length]}"/>`);
		out.push(`<text x="${lx + 18}" y="${ly}" fill="#222">${escape(label)}</text>`);
	});
	out.push('</svg>');
	return `${out.join('\n')}\n`;
}

/** Edit-to-peer latency p50/p99/max per server, log scale, with the 10 ms goal. */
export function latencyChart(results: Results): string {
	const o = results.options;
	const pick = (f: (s: Results['servers'][number]) => number | undefined) => results.servers.map((s) => ({ label: s.label, value: f(s) ?? NaN }));
	const ms = (bars: Bar[]) => bars.map((b) => ({ ...b, text: Number.isFinite(b.value) ? `${b.value < 10 ? b.value.toFixed(2) : b.value.toFixed(0)} ms` : 'n/a' }));
	return barChart({
		title: `Edit-to-peer latency, ${o.meetings} meetings × ${o.clients} clients`,
		subtitle: `each client editing every ${o.intervalMs} ms, awareness ${o.awareness}; ${results.date.slice(0, 10)}, Verkosto ${results.verkosto.commit}`,
		unit: 'milliseconds',
		log: true,
		goal: { value: 10, label: 'goal: p99 ≤ 10 ms' },
		groups: [
			{ label: 'p50', bars: ms(pick((s) => s.editLatencyMs?.p50)) },
			{ label: 'p99', bars: ms(pick((s) => s.editLatencyMs?.p99)) },
			{ label: 'max', bars: ms(pick((s) => s.editLatencyMs?.max)) }
		]
	});
}

/** Memory per meeting and CPU per server. */
export function resourcesChart(results: Results): string {
	const o = results.options;
	const kib = (f: (s: Results['servers'][number]) => number) =>
		results.servers.map((s) => ({ label: s.label, value: f(s) / 1024, text: `${(f(s) / 1024).toFixed(0)} KiB` }));
	return barChart({
		title: `Memory per active meeting, ${o.meetings} meetings × ${o.clients} clients`,
		subtitle: `RSS during the window and heap after a full GC, minus the idle server, divided by ${o.meetings}`,
		unit: 'KiB per meeting',
		goal: { value: 512, label: 'goal: ≤ 0.5 MiB' },
		groups: [
			{ label: 'RSS per meeting', bars: kib((s) => s.rssDuringWindowPerMeetingBytes) },
			{ label: 'heap per meeting', bars: kib((s) => s.heapPerMeetingBytes) }
		]
	});
}

export function cpuChart(results: Results): string {
	const o = results.options;
	return barChart({
		title: `Server CPU, ${o.meetings} meetings × ${o.clients} clients`,
		subtitle: `% of one core over the measured window (the machine has 2 cores, shared with the load generator)`,
		unit: '% of one core',
		groups: [
			{
				label: 'server CPU',
				bars: results.servers.map((s) => ({ label: s.label, value: s.cpuPercentOfCore, text: `${s.cpuPercentOfCore.toFixed(0)} %` }))
			},
			{
				label: 'load generator CPU',
				bars: results.servers.map((s) => ({ label: s.label, value: s.generatorCpuPercent, text: `${s.generatorCpuPercent.toFixed(0)} %` }))
			}
		]
	});
}

/** Join time per server: warm and cold, median. */
export function joinChart(results: Results): string {
	const join: JoinResult[] = results.join ?? [];
	const bars = (f: (j: JoinResult) => number) => join.map((j) => ({ label: j.label, value: f(j), text: `${f(j).toFixed(1)} ms` }));
	return barChart({
		title: `Joining a meeting with ${join[0]?.historyUpdates ?? '?'} stored updates`,
		subtitle: 'a fresh client: websocket opened → whole state received and applied (median of the joins)',
		unit: 'milliseconds',
		groups: [
			{ label: 'warm (in memory)', bars: bars((j) => median(j.warm.map((x) => x.appliedMs))) },
			{ label: 'cold (after unload)', bars: bars((j) => median(j.cold.map((x) => x.appliedMs))) }
		]
	});
}
