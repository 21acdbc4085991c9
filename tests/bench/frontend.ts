/**
 * The room page in a browser (issue 8): how much JavaScript `/meetings/<id>` loads, and how long it takes
 * on loopback until its editor can be used.
 *
 * The production build (a copy of `build/`, default tmp/bench/build: others rebuild build/ meanwhile, and
 * the copy must sit inside the project so that its external packages resolve from node_modules) runs as
 * `node server.js` on 127.0.0.1 with a fresh DATA_DIR, in which one meeting with one invited guest is
 * created first (verkosto-setup.ts). Debian's Chromium, headless, opens the meeting page N times, each in a
 * new context (empty cache) carrying the guest's session cookie.
 *
 * - JavaScript: every response of resource type `script` (module entries, imports, lazily loaded chunks)
 *   until the editor is ready: its decoded size, its size gzipped (zlib level 9, as adapter-node's
 *   precompressed .gz files) and what went over the wire (`request.sizes().responseBodySize`; the server
 *   sends its precompressed brotli or gzip files when the browser asks).
 * - Time to interactive: from the navigation's start (`performance.timeOrigin`) until the page shows
 *   the connection as `connected` (`[role=status][data-state=connected]`: the document synced) and the
 *   client's-words field is editable (`[data-client-view] textarea:not([readonly])`), read as `performance.now()`
 *   inside the page, polled every animation frame. Also reported: DOMContentLoaded and load from the
 *   navigation timing.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from '@playwright/test';
import { adopt, killGroupOf, projectRoot } from './children.js';
import { sleep } from './load.js';
import { median } from './measure.js';
import { setUpVerkosto } from './verkosto-setup.js';

/** Budgets stated in docs/performance.md. */
export const budgets = {
	/** JavaScript the room page loads, gzipped. */
	jsGzipBytes: 180 * 1024,
	/** Navigation start to an editable, synced editor, on loopback (median of the page loads). */
	interactiveMs: 1_000,
	/** The same on the client's phone: 4× CPU throttling, slow-3G-shaped network, 360 × 740 (median). */
	phoneInteractiveMs: 2_000
};

/**
 * The client's cheap phone (issue #21, item 10): Chromium's CPU throttled 4× (CDP
 * Emulation.setCPUThrottlingRate) and a slow-3G-shaped network (CDP Network.emulateNetworkConditions:
 * 400 ms round trip, 400 kbit/s each way), at 360 × 740 with touch.
 */
export const phoneConditions = {
	cpuThrottlingRate: 4,
	latencyMs: 400,
	downloadBytesPerSecond: (400 * 1000) / 8,
	uploadBytesPerSecond: (400 * 1000) / 8,
	viewport: { width: 360, height: 740 }
};

export const chromiumArgs = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

export interface PageLoad {
	interactiveMs: number;
	domContentLoadedMs: number;
	loadMs: number;
	scripts: number;
	jsBytes: number;
	jsGzipBytes: number;
	jsTransferredBytes: number;
}

export interface FrontendResult {
	build: string;
	/** Build id (SvelteKit's version.json), to tie the figures to a build. */
	buildVersion: string;
	loads: PageLoad[];
	/** The scripts of the first load, largest first: path, bytes, gzipped bytes, what they hold. */
	files: { path: string; bytes: number; gzipBytes: number; holds?: string[] }[];
	median: PageLoad;
	/** The client's phone view under `phoneConditions`: time to interactive of each load, median and p99. */
	phone: { conditions: typeof phoneConditions; interactiveMs: number[]; medianMs: number; p99Ms: number };
	budgets: typeof budgets;
	chromium: string;
}

/** Strings each library leaves in its minified code, to tell what a hashed chunk holds. */
const markers: [string, (code: string) => boolean][] = [
	['CodeMirror', (c) => c.includes('Unrecognized extension value')],
	['Yjs', (c) => c.includes('Yjs was already imported')],
	['y-codemirror', (c) => c.includes('cm-ySelection')],
	['y-protocols awareness', (c) => c.includes('outdatedTimeout')],
	['message catalogs (fi, sv, en)', (c) => (c.match(/"sv"/g)?.length ?? 0) > 50],
	['Svelte runtime', (c) => c.includes('svelte.dev/e/')]
];

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

function parseCookie(header: string): { name: string; value: string } {
	const at = header.indexOf('=');
	return { name: header.slice(0, at), value: header.slice(at + 1) };
}

export async function runFrontend(buildDir: string, pageLoads: number, log: (line: string) => void): Promise<FrontendResult> {
	const build = path.resolve(projectRoot, buildDir);
	if (!fs.existsSync(path.join(build, 'server.js'))) {
		throw new Error(`no production build in ${buildDir}: run \`npm run build && rm -rf ${buildDir} && cp -r build ${buildDir}\` first`);
	}
	if (path.relative(projectRoot, build).startsWith('..')) {
		throw new Error(`${buildDir} must be inside the project, so that the build's packages resolve from node_modules`);
	}
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'verkosto-frontend-bench-'));
	const setup = await setUpVerkosto({ root: projectRoot, dataDir, meetings: 1, clients: 1, syncMode: 'normal' });
	const meetingId = setup.rooms[0] ?? '';
	const cookie = setup.cookies?.[0]?.[0];
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, [path.join(build, 'server.js')], {
		cwd: projectRoot,
		env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', ORIGIN: origin, LOG_LEVEL: 'warn' },
		detached: true,
		stdio: ['ignore', 'ignore', 'pipe']
	});
	adopt(child);
	let stderr = '';
	child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
	const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
	try {
		const deadline = performance.now() + 60_000;
		for (;;) {
			if (child.exitCode !== null) throw new Error(`the production server exited (${child.exitCode}): ${stderr}`);
			try {
				if ((await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2_000) })).ok) break;
			} catch {
				// not listening yet
			}
			if (performance.now() > deadline) throw new Error(`the production server did not answer /healthz within 60 s: ${stderr}`);
			await sleep(200);
		}
		const loads: PageLoad[] = [];
		let files: FrontendResult['files'] = [];
		// One load first, not counted: the server's own first-request work (module loading) is not the page's.
		for (let i = 0; i <= pageLoads; i++) {
			const context = await browser.newContext();
			if (cookie) await context.addCookies([{ ...parseCookie(cookie), url: origin }]);
			const page = await context.newPage();
			const scripts: Promise<{ path: string; bytes: number; gzipBytes: number; transferred: number; holds: string[] }>[] = [];
			page.on('response', (response) => {
				if (response.request().resourceType() !== 'script') return;
				scripts.push(
					(async () => {
						const body = await response.body();
						const sizes = await response.request().sizes();
						const code = body.toString('utf8');
						return {
							holds: [
								...(response.url().includes('/nodes/') ? ['a route component'] : []),
								...markers.filter(([, test]) => test(code)).map(([name]) => name)
							],
							path: new URL(response.url()).pathname,
							bytes: body.byteLength,
							gzipBytes: zlib.gzipSync(body, { level: 9 }).byteLength,
							transferred: sizes.responseBodySize
						};
					})()
				);
			});
			const response = await page.goto(`${origin}/meetings/${meetingId}`, { waitUntil: 'commit' });
			if (!response?.ok()) throw new Error(`/meetings/<id> answered ${response?.status()}`);
			const interactiveMs = await page.waitForFunction(
				() =>
					document.querySelector('[role="status"][data-state="connected"]') !== null &&
					document.querySelector('[data-client-view] textarea:not([readonly])') !== null
						? performance.now()
						: false,
				undefined,
				{ polling: 'raf', timeout: 30_000 }
			).then((handle) => handle.jsonValue() as Promise<number>);
			const timing = await page.evaluate(() => {
				const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
				return { domContentLoadedMs: nav?.domContentLoadedEventEnd ?? NaN, loadMs: nav?.loadEventEnd ?? NaN };
			});
			const got = await Promise.all(scripts);
			await context.close();
			if (i === 0) continue;
			if (files.length === 0) files = got.map(({ path: p, bytes, gzipBytes, holds }) => ({ path: p, bytes, gzipBytes, holds })).sort((a, b) => b.gzipBytes - a.gzipBytes);
			const sum = (f: (s: (typeof got)[number]) => number) => got.reduce((n, s) => n + f(s), 0);
			loads.push({
				interactiveMs,
				...timing,
				scripts: got.length,
				jsBytes: sum((s) => s.bytes),
				jsGzipBytes: sum((s) => s.gzipBytes),
				jsTransferredBytes: sum((s) => s.transferred)
			});
			log(`  page load ${i}: interactive at ${interactiveMs.toFixed(0)} ms, ${got.length} scripts, ${(sum((s) => s.gzipBytes) / 1024).toFixed(1)} KiB gzipped`);
		}
		// The client's phone: the same page for the same client, on a throttled CPU and a slow network.
		const phoneTimes: number[] = [];
		for (let i = 0; i < pageLoads; i++) {
			const context = await browser.newContext({ viewport: phoneConditions.viewport, isMobile: true, hasTouch: true });
			if (cookie) await context.addCookies([{ ...parseCookie(cookie), url: origin }]);
			const page = await context.newPage();
			const cdp = await context.newCDPSession(page);
			await cdp.send('Emulation.setCPUThrottlingRate', { rate: phoneConditions.cpuThrottlingRate });
			await cdp.send('Network.enable');
			await cdp.send('Network.emulateNetworkConditions', {
				offline: false,
				latency: phoneConditions.latencyMs,
				downloadThroughput: phoneConditions.downloadBytesPerSecond,
				uploadThroughput: phoneConditions.uploadBytesPerSecond
			});
			await page.goto(`${origin}/meetings/${meetingId}`, { waitUntil: 'commit' });
			const ms = await page
				.waitForFunction(
					() =>
						document.querySelector('[role="status"][data-state="connected"]') !== null &&
						document.querySelector('[data-client-view] textarea:not([readonly])') !== null
							? performance.now()
							: false,
					undefined,
					{ polling: 'raf', timeout: 120_000 }
				)
				.then((handle) => handle.jsonValue() as Promise<number>);
			await context.close();
			phoneTimes.push(ms);
			log(`  phone load ${i + 1}: interactive at ${ms.toFixed(0)} ms (4× CPU, slow 3G, 360 × 740)`);
		}
		const sorted = phoneTimes.toSorted((a, b) => a - b);
		// Nearest-rank p99: with fewer than 100 loads it is the slowest one.
		const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)] ?? NaN;
		const med = (f: (l: PageLoad) => number) => median(loads.map(f));
		let buildVersion = 'unknown';
		try {
			buildVersion = (JSON.parse(fs.readFileSync(path.join(build, 'client/_app/version.json'), 'utf8')) as { version: string }).version;
		} catch {
			// an older adapter layout
		}
		return {
			build: path.relative(projectRoot, build),
			buildVersion,
			loads,
			files,
			median: {
				interactiveMs: med((l) => l.interactiveMs),
				domContentLoadedMs: med((l) => l.domContentLoadedMs),
				loadMs: med((l) => l.loadMs),
				scripts: med((l) => l.scripts),
				jsBytes: med((l) => l.jsBytes),
				jsGzipBytes: med((l) => l.jsGzipBytes),
				jsTransferredBytes: med((l) => l.jsTransferredBytes)
			},
			phone: { conditions: phoneConditions, interactiveMs: phoneTimes, medianMs: median(phoneTimes), p99Ms: p99 },
			budgets,
			chromium: browser.version()
		};
	} finally {
		await browser.close();
		await killGroupOf(child);
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
}
