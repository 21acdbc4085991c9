/**
 * Preloaded (`node --import ./tests/bench/probe.ts`) into every server under test, so that each is
 * observed the same way whatever it exposes itself: a tiny HTTP endpoint on 127.0.0.1 reports the
 * process's memory (optionally after a full garbage collection), CPU time and event-loop delay.
 * It prints `PROBE <port>` on stdout. It also ends the process if the benchmark that started it is gone,
 * so a killed benchmark leaves no server behind.
 */
import fs from 'node:fs';
import http from 'node:http';
import inspector from 'node:inspector';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';
import { watchGc, type GcPauses } from './gc-pauses.js';

const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();

const gcPauses = watchGc();

/**
 * With BENCH_HEAP_PROFILE_DIR set, `?reset` (a window opens) starts V8's sampling heap profiler and
 * `?heap-profile=NAME` (the window ends) writes NAME.heapprofile there. It keeps the samples of
 * objects freed by full collections and drops those freed by minor ones: what it shows is what
 * survived into the old generation, which only a full collection (the long pauses) frees.
 */
const heapProfileDir = isMainThread ? process.env.BENCH_HEAP_PROFILE_DIR : undefined;
const heapSession = heapProfileDir ? new inspector.Session() : undefined;
heapSession?.connect();
let heapSampling = false;

function startHeapSampling(): void {
	if (!heapSession || heapSampling) return;
	heapSampling = true;
	heapSession.post('HeapProfiler.enable');
	// Node's typings predate the two include… parameters (V8 has them since 11.x).
	const parameters = { samplingInterval: 2048, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: false };
	heapSession.post('HeapProfiler.startSampling', parameters as inspector.HeapProfiler.StartSamplingParameterType);
}

function writeHeapProfile(name: string): Promise<void> {
	return new Promise((resolve) => {
		if (!heapSession || !heapSampling || !heapProfileDir) return resolve();
		heapSampling = false;
		heapSession.post('HeapProfiler.stopSampling', (error, result) => {
			try {
				if (error) throw error;
				fs.writeFileSync(`${heapProfileDir}/${name.replace(/[^\w.-]/g, '_')}.heapprofile`, JSON.stringify(result.profile));
			} catch (failure) {
				// The window's figures are reported all the same.
				console.error('heap profile:', (failure as Error).message);
			} finally {
				resolve();
			}
		});
	});
}

export interface ProbeReport {
	pid: number;
	rss: number;
	heapUsed: number;
	heapTotal: number;
	external: number;
	arrayBuffers: number;
	cpuUserMicros: number;
	cpuSystemMicros: number;
	/** Event-loop delay since the last reset, milliseconds. */
	loopDelay: { p50: number; p99: number; max: number };
	/** Pauses since the last reset (not counting the collections `?gc` forces for this report). */
	gc: GcPauses;
	gcRan: boolean;
}

const gc = (globalThis as { gc?: () => void }).gc;

const server = http.createServer(async (req, res) => {
	const url = new URL(req.url ?? '/', 'http://127.0.0.1');
	let gcRan = false;
	const gcSinceReset = gcPauses.read();
	if (url.searchParams.has('gc') && gc) {
		gc();
		gc();
		gcRan = true;
	}
	const memory = process.memoryUsage();
	const cpu = process.cpuUsage();
	const report: ProbeReport = {
		pid: process.pid,
		rss: memory.rss,
		heapUsed: memory.heapUsed,
		heapTotal: memory.heapTotal,
		external: memory.external,
		arrayBuffers: memory.arrayBuffers,
		cpuUserMicros: cpu.user,
		cpuSystemMicros: cpu.system,
		loopDelay: {
			p50: loopDelay.percentile(50) / 1e6,
			p99: loopDelay.percentile(99) / 1e6,
			max: loopDelay.max / 1e6
		},
		gc: gcSinceReset,
		gcRan
	};
	if (url.searchParams.has('reset')) {
		loopDelay.reset();
		gcPauses.reset();
		startHeapSampling();
	}
	// After the figures are read: writing the profile must not count as the window's stall.
	const heapProfile = url.searchParams.get('heap-profile');
	if (heapProfile) await writeHeapProfile(heapProfile);
	res.writeHead(200, { 'content-type': 'application/json' });
	res.end(JSON.stringify(report));
});
// A worker thread inherits --import: only the main thread reports (its event loop is the one measured).
if (isMainThread) {
	server.listen(0, '127.0.0.1', () => {
		const address = server.address();
		if (address && typeof address === 'object') process.stdout.write(`PROBE ${address.port}\n`);
	});
}
server.unref();

const parent = Number(process.env.BENCH_PARENT_PID);
if (parent > 0 && isMainThread) {
	setInterval(() => {
		try {
			process.kill(parent, 0);
		} catch {
			process.kill(process.pid, 'SIGKILL');
		}
	}, 1_000).unref();
}
