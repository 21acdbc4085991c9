/**
 * One phase: one server, fresh in its own child, under the full load, measured over a fixed window.
 * start → baseline memory → connect K×M clients → warm-up → measured window → drain → loaded memory → stop.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { LoadGenerator, sleep, type WindowStats } from './load.js';
import {
	clockTicksPerSecond,
	histogramDelta,
	latencyFigures,
	machineCpuTicks,
	median,
	parsePrometheus,
	processCpuSeconds,
	processIo,
	processRssBytes,
	promHistogram,
	promValue,
	summarize,
	type Histogram,
	type LatencyFigures,
	type Summary
} from './measure.js';
import type { BenchOptions } from './options.js';
import type { ProbeReport } from './probe.js';
import { watchGc, type GcPauses } from './gc-pauses.js';
import type { BenchServer, RunningServer } from './servers.js';

export interface PhaseResult {
	serverKey: string;
	/** How clients were admitted. */
	admission?: string;
	/** How busy the machine was just before the phase, and how long we waited for it to calm down. */
	before: { machineBusyPercent: number; waitedSeconds: number };
	round: number;
	/** Position of this phase in the whole run (1-based). */
	sequence: number;
	connectSeconds: number;
	windowSeconds: number;
	edits: {
		sent: number;
		perSecond: number;
		expectedDeliveries: number;
		delivered: number;
		missing: number;
		latencyMs: Summary | undefined;
	};
	awareness: {
		sent: number;
		expectedDeliveries: number;
		delivered: number;
		missing: number;
		latencyMs: Summary | undefined;
	};
	disconnects: number;
	/** Close codes and errors the clients saw during the whole phase (expected: none). */
	clientProblems: Record<string, number>;
	server: {
		cpuPercentOfCore: number;
		loopDelayMs: ProbeReport['loopDelay'];
		/** Garbage-collection pauses during the window (absent when the probe did not answer). */
		gc?: GcPauses;
		/** Bytes the server caused to be written to storage per second (/proc/<pid>/io write_bytes). */
		diskWriteBytesPerSecond: number;
		/** write-family system calls per second (sockets included). */
		writeCallsPerSecond: number;
	};
	memory: {
		baseline: { rss: number; heapUsed: number };
		loaded: { rss: number; heapUsed: number };
		rssDuringWindow: { median: number; max: number };
		perMeeting: { heapUsed: number; rss: number; rssDuringWindow: number };
		/** The server's own /metrics figures at the end of the window, where it has them. */
		selfReported?: { rss?: number; heapUsed?: number };
	};
	/** Verkosto's `verkosto_storage_write_seconds` over the window: until each update was durable. */
	storage?: LatencyFigures & { writes: number; histogram: Histogram };
	/** Verkosto's `verkosto_update_relay_seconds` over the window: from each update's arrival to its relay. */
	relay?: LatencyFigures & { updates: number; histogram: Histogram };
	/** Updates the server counted (its own counter), for a cross-check against edits sent. */
	updatesReceived?: number;
	generator: {
		cpuPercentOfCore: number;
		loopDelayMs: { p50: number; p99: number; max: number };
		gc: GcPauses;
	};
	machineBusyPercent: number;
	/** CPU used by everything else on the machine during the window (% of one core): the noise. */
	otherCpuPercentOfCore: number;
	/** Attempts made for this phase (more than 1 when other processes disturbed the earlier ones). */
	attempts: number;
	/** Other processes' CPU in each attempt (% of one core). */
	noiseByAttempt: number[];
}

export interface PhaseOutcome {
	result: PhaseResult;
	/** Raw samples, kept for pooled percentiles over rounds (not written to JSON). */
	window: WindowStats;
}

async function getJson<T>(url: string): Promise<T> {
	const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
	if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
	return (await response.json()) as T;
}

async function getText(url: string): Promise<string> {
	const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
	if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
	return response.text();
}

/** The probe's report, or undefined (logged) if the server does not answer within 30 s (it is overloaded). */
async function probe(url: string, log: (line: string) => void): Promise<ProbeReport | undefined> {
	try {
		return await getJson<ProbeReport>(url);
	} catch (error) {
		log(`  the probe ${url} did not answer (${(error as Error).message}): the server is far behind`);
		return undefined;
	}
}

const noProbe: ProbeReport['loopDelay'] = { p50: NaN, p99: NaN, max: NaN };

/** The server's own metrics, or undefined (logged) if it does not answer within 10 s. */
async function scrape(url: string | undefined, log: (line: string) => void): Promise<ReturnType<typeof parsePrometheus> | undefined> {
	if (!url) return undefined;
	const started = performance.now();
	try {
		return parsePrometheus(await getText(url));
	} catch (error) {
		log(`  ${url} did not answer (${(error as Error).message}) after ${((performance.now() - started) / 1000).toFixed(1)} s`);
		return undefined;
	}
}

/** Waits (bounded) until the whole machine is less busy than `percent`, measured over 2 s. */
export async function waitForQuiet(percent: number, maxWaitS: number): Promise<{ machineBusyPercent: number; waitedSeconds: number }> {
	const started = performance.now();
	for (;;) {
		const a = machineCpuTicks();
		await sleep(maxWaitS > 0 ? 2_000 : 500);
		const b = machineCpuTicks();
		const busy = ((b.busy - a.busy) / Math.max(1, b.total - a.total)) * 100;
		const waited = (performance.now() - started) / 1000;
		if (busy < percent || waited >= maxWaitS) return { machineBusyPercent: busy, waitedSeconds: waited };
	}
}

export async function runPhase(
	server: BenchServer,
	options: BenchOptions,
	verkostoRoot: string,
	round: number,
	sequence: number,
	log: (line: string) => void
): Promise<PhaseOutcome> {
	const K = options.meetings;
	const M = options.clients;
	const before = await waitForQuiet(options.quietPercent, options.quietWaitS);
	log(
		`[${sequence}] ${server.label}: starting (machine ${before.machineBusyPercent.toFixed(0)} % busy` +
			(before.waitedSeconds > 3 ? ` after waiting ${before.waitedSeconds.toFixed(0)} s for it to calm down)` : ')')
	);
	const running: RunningServer = await server.start({
		meetings: K,
		clients: M,
		verkostoRoot,
		syncMode: options.syncMode,
		startTimeoutMs: 30_000
	});
	const load = new LoadGenerator({
		client: options.client,
		clientsPerMeeting: M,
		editIntervalMs: options.intervalMs,
		awareness: options.awareness,
		seed: options.seed,
		connectBatch: 50,
		connectPauseMs: 25
	});
	let rssSampler: NodeJS.Timeout | undefined;
	let generatorGc: ReturnType<typeof watchGc> | undefined;
	try {
		await sleep(500);
		// Before any client: this one must answer.
		const baseline = await getJson<ProbeReport>(`${running.probeUrl}?gc`);
		const baselineRss = processRssBytes(running.pid);

		const connectStarted = performance.now();
		await load.connect(running.yjsBase, running.rooms, running.cookies, 30_000 + K * M * 50, running.protocol);
		const connectSeconds = (performance.now() - connectStarted) / 1000;
		log(`[${sequence}] ${server.label}: ${load.clientCount} clients synced in ${connectSeconds.toFixed(1)} s; warm-up ${options.warmupS} s`);

		load.startEditing();
		await sleep(options.warmupS * 1000);

		// The measured window.
		const loopDelay = monitorEventLoopDelay({ resolution: 5 });
		const metricsBefore = await scrape(running.metricsUrl, log);
		await probe(`${running.probeUrl}?reset`, log);
		const windowStart = performance.now();
		const window = load.openWindow(windowStart, windowStart + options.windowS * 1000);
		const serverCpuBefore = processCpuSeconds(running.pid);
		const ioBefore = processIo(running.pid);
		const generatorCpuBefore = process.cpuUsage();
		const machineBefore = machineCpuTicks();
		loopDelay.enable();
		generatorGc = watchGc();
		const rssSamples: number[] = [];
		rssSampler = setInterval(() => {
			try {
				rssSamples.push(processRssBytes(running.pid));
			} catch {
				// the server died; reported below
			}
		}, 1_000);
		log(`[${sequence}] ${server.label}: measuring ${options.windowS} s`);
		await sleep(Math.max(0, window.end - performance.now()));

		const windowSeconds = (performance.now() - windowStart) / 1000;
		const serverCpuSeconds = processCpuSeconds(running.pid) - serverCpuBefore;
		const ioAfter = processIo(running.pid);
		const generatorCpu = process.cpuUsage(generatorCpuBefore);
		const machineAfter = machineCpuTicks();
		loopDelay.disable();
		const generatorGcPauses = generatorGc.read();
		generatorGc.stop();
		generatorGc = undefined;
		clearInterval(rssSampler);
		rssSampler = undefined;
		// No edits after the window: what is still queued drains, and every edit of the window reaches the log
		// (and the storage histogram) by the time the server answers.
		load.stopEditing();
		// With --heap-profile, this report also ends the window's heap profile (probe.ts).
		const serverProbe = await probe(options.heapProfile ? `${running.probeUrl}?heap-profile=${server.key}-${sequence}` : running.probeUrl, log);
		const metricsAfter = await scrape(running.metricsUrl, log);
		await sleep(options.drainS * 1000);
		const loaded = await probe(`${running.probeUrl}?gc`, log);
		const loadedRss = processRssBytes(running.pid);

		const expected = window.editsSent * (M - 1);
		// Awareness is relayed to every other client of the meeting (both servers also echo it to the sender,
		// which the client ignores).
		const awarenessExpected = window.awarenessSent * (M - 1);
		const rssDuringWindow = rssSamples.length > 0 ? median(rssSamples) : loadedRss;

		let storage: PhaseResult['storage'];
		let relay: PhaseResult['relay'];
		let updatesReceived: number | undefined;
		let selfReported: PhaseResult['memory']['selfReported'];
		if (metricsAfter) {
			/** What a histogram of the server's counted during the window. */
			const windowOf = (name: string) => {
				const after = promHistogram(metricsAfter, name);
				return after && histogramDelta(metricsBefore && promHistogram(metricsBefore, name), after);
			};
			const stored = windowOf('verkosto_storage_write_seconds');
			if (stored) storage = { writes: stored.count, ...latencyFigures(stored), histogram: stored };
			const relayed = windowOf('verkosto_update_relay_seconds');
			if (relayed) relay = { updates: relayed.count, ...latencyFigures(relayed), histogram: relayed };
			const receivedAfter = promValue(metricsAfter, 'verkosto_updates_received_total');
			const receivedBefore = metricsBefore && promValue(metricsBefore, 'verkosto_updates_received_total');
			if (receivedAfter !== undefined) updatesReceived = receivedAfter - (receivedBefore ?? 0);
			selfReported = {
				rss: promValue(metricsAfter, 'verkosto_process_resident_memory_bytes'),
				heapUsed: promValue(metricsAfter, 'verkosto_nodejs_heap_size_used_bytes')
			};
		}

		const result: PhaseResult = {
			serverKey: server.key,
			admission: running.note,
			before,
			round,
			sequence,
			connectSeconds,
			windowSeconds,
			edits: {
				sent: window.editsSent,
				perSecond: window.editsSent / windowSeconds,
				expectedDeliveries: expected,
				delivered: window.editsDelivered,
				missing: expected - window.editsDelivered,
				latencyMs: summarize(window.editLatency)
			},
			awareness: {
				sent: window.awarenessSent,
				expectedDeliveries: awarenessExpected,
				delivered: window.awarenessDelivered,
				missing: awarenessExpected - window.awarenessDelivered,
				latencyMs: summarize(window.awarenessLatency)
			},
			disconnects: window.disconnects,
			clientProblems: Object.fromEntries(load.problems),
			server: {
				cpuPercentOfCore: (serverCpuSeconds / windowSeconds) * 100,
				loopDelayMs: serverProbe?.loopDelay ?? noProbe,
				gc: serverProbe?.gc,
				diskWriteBytesPerSecond: (ioAfter.writeBytes - ioBefore.writeBytes) / windowSeconds,
				writeCallsPerSecond: (ioAfter.writeCalls - ioBefore.writeCalls) / windowSeconds
			},
			memory: {
				baseline: { rss: baselineRss, heapUsed: baseline.heapUsed },
				loaded: { rss: loadedRss, heapUsed: loaded?.heapUsed ?? NaN },
				rssDuringWindow: { median: rssDuringWindow, max: Math.max(...rssSamples, loadedRss) },
				perMeeting: {
					heapUsed: ((loaded?.heapUsed ?? NaN) - baseline.heapUsed) / K,
					rss: (loadedRss - baselineRss) / K,
					rssDuringWindow: (rssDuringWindow - baselineRss) / K
				},
				selfReported
			},
			storage,
			relay,
			updatesReceived,
			generator: {
				cpuPercentOfCore: ((generatorCpu.user + generatorCpu.system) / 1e6 / windowSeconds) * 100,
				loopDelayMs: {
					p50: loopDelay.percentile(50) / 1e6,
					p99: loopDelay.percentile(99) / 1e6,
					max: loopDelay.max / 1e6
				},
				gc: generatorGcPauses
			},
			machineBusyPercent: ((machineAfter.busy - machineBefore.busy) / Math.max(1, machineAfter.total - machineBefore.total)) * 100,
			otherCpuPercentOfCore: 0,
			attempts: 1,
			noiseByAttempt: []
		};
		const machineCorePercent = ((machineAfter.busy - machineBefore.busy) / clockTicksPerSecond() / windowSeconds) * 100;
		result.otherCpuPercentOfCore = Math.max(0, machineCorePercent - result.server.cpuPercentOfCore - result.generator.cpuPercentOfCore);
		result.noiseByAttempt = [result.otherCpuPercentOfCore];
		const l = result.edits.latencyMs;
		log(
			`[${sequence}] ${server.label}: ${result.edits.perSecond.toFixed(0)} edits/s, latency p50 ${l?.p50.toFixed(2) ?? '–'} ms, ` +
				`p99 ${l?.p99.toFixed(2) ?? '–'} ms, max ${l?.max.toFixed(1) ?? '–'} ms, missing ${result.edits.missing}, ` +
				`server CPU ${result.server.cpuPercentOfCore.toFixed(0)} %, other processes ${result.otherCpuPercentOfCore.toFixed(0)} %`
		);
		return { result, window };
	} finally {
		clearInterval(rssSampler);
		generatorGc?.stop();
		load.close();
		await running.stop();
	}
}
