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
import { chromium, type Browser } from '@playwright/test';
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
	/** A professional's page in the same meeting (the full view, CodeMirror and the editors loaded on demand). */
	professional?: { loads: PageLoad[]; median: PageLoad };
	/**
	 * The client's phone view under `phoneConditions`, each load, median and p99: `interactiveMs` until
	 * the words field took a typed character (the budget), `liveMs` until that character was in the
	 * synced document and the server confirmed storing it.
	 */
	phone: {
		conditions: typeof phoneConditions;
		interactiveMs: number[];
		medianMs: number;
		p99Ms: number;
		liveMs: number[];
		liveMedianMs: number;
		liveP99Ms: number;
	};
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
	const setup = await setUpVerkosto({ root: projectRoot, dataDir, meetings: 1, clients: 2, syncMode: 'normal' });
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
			const { load, got } = await loopbackLoad(browser, origin, meetingId, cookie, clientReady);
			if (i === 0) continue;
			if (files.length === 0) files = got.map(({ transferred: _, ...file }) => file).sort((a, b) => b.gzipBytes - a.gzipBytes);
			loads.push(load);
			log(`  page load ${i}: interactive at ${load.interactiveMs.toFixed(0)} ms, ${load.scripts} scripts, ${(load.jsGzipBytes / 1024).toFixed(1)} KiB gzipped`);
		}
		// A professional's page: the full view, whose editors and CodeMirror load on demand once it runs.
		const professionalLoads: PageLoad[] = [];
		const professionalCookie = setup.cookies?.[0]?.[1];
		for (let i = 0; professionalCookie && i < pageLoads; i++) {
			const { load } = await loopbackLoad(browser, origin, meetingId, professionalCookie, professionalReady);
			professionalLoads.push(load);
			log(`  professional's page load ${i + 1}: interactive at ${load.interactiveMs.toFixed(0)} ms, ${load.scripts} scripts, ${(load.jsGzipBytes / 1024).toFixed(1)} KiB gzipped`);
		}
		// The client's phone: the same page for the same client, on a throttled CPU and a slow network.
		const phoneTimes: number[] = [];
		const phoneLive: number[] = [];
		for (let i = 0; i < pageLoads; i++) {
			const { interactiveMs, liveMs, steps } = await phoneLoad(browser, origin, meetingId, cookie, `Åsa ${i + 1}`);
			phoneTimes.push(interactiveMs);
			phoneLive.push(liveMs);
			log(
				`  phone load ${i + 1}: interactive at ${interactiveMs.toFixed(0)} ms (page of ${(steps.htmlBytes / 1024).toFixed(1)} KiB, ` +
					`${(steps.htmlTransferred / 1024).toFixed(1)} KiB transferred, received at ${steps.html.toFixed(0)} ms, painted at ${steps.paint.toFixed(0)} ms), live and stored at ${liveMs.toFixed(0)} ms (4× CPU, slow 3G, 360 × 740)`
			);
		}
		const medianOf = (of: PageLoad[]) => {
			const med = (f: (l: PageLoad) => number) => median(of.map(f));
			return {
				interactiveMs: med((l) => l.interactiveMs),
				domContentLoadedMs: med((l) => l.domContentLoadedMs),
				loadMs: med((l) => l.loadMs),
				scripts: med((l) => l.scripts),
				jsBytes: med((l) => l.jsBytes),
				jsGzipBytes: med((l) => l.jsGzipBytes),
				jsTransferredBytes: med((l) => l.jsTransferredBytes)
			};
		};
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
			median: medianOf(loads),
			professional: professionalLoads.length > 0 ? { loads: professionalLoads, median: medianOf(professionalLoads) } : undefined,
			phone: {
				conditions: phoneConditions,
				interactiveMs: phoneTimes,
				medianMs: median(phoneTimes),
				p99Ms: nearestRankP99(phoneTimes),
				liveMs: phoneLive,
				liveMedianMs: median(phoneLive),
				liveP99Ms: nearestRankP99(phoneLive)
			},
			budgets,
			chromium: browser.version()
		};
	} finally {
		await browser.close();
		await killGroupOf(child);
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
}

/** The client's page is ready once synced and its words field is bound to the document and editable. */
const clientReady = '[data-client-view] textarea[data-live]:not([readonly])';
/** A professional's page is ready once synced and the client's-words editor (CodeMirror) is editable. */
const professionalReady = '#panel-situation .cm-content[contenteditable="true"]';

type ScriptFile = FrontendResult['files'][number] & { transferred: number };

/**
 * One load of the room page on loopback in a fresh context: every script it loads until the page says
 * `connected` and shows the editor `ready` selects, and the times (looked for in the page every frame).
 */
async function loopbackLoad(
	browser: Browser,
	origin: string,
	meetingId: string,
	cookie: string | undefined,
	ready: string
): Promise<{ load: PageLoad; got: ScriptFile[] }> {
	const context = await browser.newContext();
	try {
		if (cookie) await context.addCookies([{ ...parseCookie(cookie), url: origin }]);
		const page = await context.newPage();
		const scripts: Promise<ScriptFile>[] = [];
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
		const interactiveMs = await page
			.waitForFunction(
				(ready) =>
					document.querySelector('[role="status"][data-state="connected"]') !== null && document.querySelector(ready) !== null
						? performance.now()
						: false,
				ready,
				{ polling: 'raf', timeout: 30_000 }
			)
			.then((handle) => handle.jsonValue() as Promise<number>);
		const timing = await page.evaluate(() => {
			const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
			return { domContentLoadedMs: nav?.domContentLoadedEventEnd ?? NaN, loadMs: nav?.loadEventEnd ?? NaN };
		});
		const got = await Promise.all(scripts);
		const sum = (f: (s: ScriptFile) => number) => got.reduce((n, s) => n + f(s), 0);
		return {
			load: {
				interactiveMs,
				...timing,
				scripts: got.length,
				jsBytes: sum((s) => s.bytes),
				jsGzipBytes: sum((s) => s.gzipBytes),
				jsTransferredBytes: sum((s) => s.transferred)
			},
			got
		};
	} finally {
		await context.close();
	}
}

/** Nearest-rank p99: with fewer than 100 samples it is the largest one. */
function nearestRankP99(values: number[]): number {
	const sorted = values.toSorted((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)] ?? NaN;
}

/**
 * Runs in the page before its own scripts (an init script), so that the bench needs no script of its
 * own in the page while it loads (Playwright's selector engine alone takes a quarter of a second to
 * evaluate on the throttled CPU, and would delay the page it measures). Every frame it looks for the
 * words field; once the field is there and the page has painted, it focuses the field with the caret
 * at the end, as a person's tap would, and tells the bench (`phoneMark('ready', time)`, a binding);
 * the page's first `input` event is told the same way (`phoneMark('typed', time)`). A string, not a
 * function: the bench's compiler would wrap a function's inner functions in a helper the page does
 * not have.
 */
const watchTheWordsField = `(() => {
	let typed = false;
	document.addEventListener('input', () => {
		if (typed) return;
		typed = true;
		window.phoneMark('typed', performance.now());
	}, true);
	const look = () => {
		const field = document.querySelector('[data-client-view] textarea:not([readonly])');
		if (field && performance.getEntriesByName('first-contentful-paint').length > 0) {
			field.focus();
			field.setSelectionRange(field.value.length, field.value.length);
			window.phoneMark('ready', performance.now());
			return;
		}
		requestAnimationFrame(look);
	};
	requestAnimationFrame(look);
})();`

/** Rejects with `message` unless `promise` settles within `ms`. */
function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const bound = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
	return Promise.race([promise, bound]).finally(() => clearTimeout(timer));
}

/**
 * One load of the client's page on the phone. As soon as the words field shows and is editable, the
 * bench types `marker` at its end as a person would; `interactiveMs` is when the page handled that
 * keystroke (the first `input` event, read in the page: a main thread still busy with scripts delays
 * it; the field is focused only once the page has painted). `liveMs` is when the field is bound to
 * the synced document, holds the marker, and the server has confirmed storing every change; the
 * stored plan is then read back, and a marker missing from it fails the bench: a field that takes
 * typing and loses it is not interactive.
 */
async function phoneLoad(
	browser: Browser,
	origin: string,
	meetingId: string,
	cookie: string | undefined,
	marker: string
): Promise<{ interactiveMs: number; liveMs: number; steps: { html: number; paint: number; htmlBytes: number; htmlTransferred: number } }> {
	const context = await browser.newContext({ viewport: phoneConditions.viewport, isMobile: true, hasTouch: true });
	try {
		if (cookie) await context.addCookies([{ ...parseCookie(cookie), url: origin }]);
		// The page tells the bench when the field is ready and when it took the keystroke.
		const marks = { ready: Promise.withResolvers<number>(), typed: Promise.withResolvers<number>() };
		await context.exposeBinding('phoneMark', (_source, name: keyof typeof marks, at: number) => marks[name].resolve(at));
		await context.addInitScript({ content: watchTheWordsField });
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
		const response = await page.goto(`${origin}/meetings/${meetingId}`, { waitUntil: 'commit' });
		await within(marks.ready.promise, 120_000, 'the words field did not become editable within 120 s');
		await page.keyboard.type(` ${marker}`);
		const interactiveMs = await within(marks.typed.promise, 120_000, 'the words field did not take typing within 120 s');
		const steps = await page.evaluate(() => {
			const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
			return { html: nav?.responseEnd ?? NaN, paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN };
		});
		const html = await response?.body();
		const htmlBytes = html?.byteLength ?? NaN;
		const htmlTransferred = (await response?.request().sizes())?.responseBodySize ?? NaN;
		const liveMs = await page
			.waitForFunction(
				(marker) => {
					const field = document.querySelector<HTMLTextAreaElement>('[data-client-view] textarea[data-live]');
					return document.querySelector('[role="status"][data-state="connected"]') !== null &&
						document.querySelector('.sync-row[data-pending="0"]') !== null &&
						field?.value.includes(marker)
						? performance.now()
						: false;
				},
				marker,
				{ polling: 'raf', timeout: 120_000 }
			)
			.then((handle) => handle.jsonValue() as Promise<number>);
		const plan = (await (await context.request.get(`${origin}/api/meetings/${meetingId}/plan`)).json()) as { clientVoice?: string };
		if (!plan.clientVoice?.includes(marker)) {
			throw new Error(`the words typed before the live document ("${marker}") are not in the stored plan: ${JSON.stringify(plan.clientVoice)}`);
		}
		return { interactiveMs, liveMs, steps: { ...steps, htmlBytes, htmlTransferred } };
	} finally {
		await context.close();
	}
}
