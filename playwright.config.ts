import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig, type PlaywrightTestConfig } from '@playwright/test';
import type { E2EOptions } from './tests/e2e/fixtures';

/**
 * The same specs run twice: against `npm run dev` (Vite plus the dev plugin) and against the
 * production build (`node build/server.js`, so `npm run build` must have run), because issue 2 asks
 * that dev and production behave alike. Each server gets its own empty DATA_DIR.
 *
 * The no-JavaScript spec (issue 22: every form works as a plain HTML form post) runs in `nojs-dev`
 * and `nojs-prod`, browsers with JavaScript turned off, each against a server of its own: it begins
 * with the first-run setup, which needs an empty database.
 */

// Playwright loads this file in the runner and again in every worker; the runner creates the
// folder once and the workers inherit its path through the environment.
const rootKey = 'VERKOSTO_E2E_DATA_ROOT';
function e2eDataRoot(): string {
	const inherited = process.env[rootKey];
	if (inherited) return inherited;
	const root = mkdtempSync(path.join(tmpdir(), 'verkosto-e2e-'));
	process.env[rootKey] = root;
	// The runner exits after it has stopped the servers; nothing is left behind in /tmp.
	process.on('exit', () => rmSync(root, { recursive: true, force: true }));
	return root;
}
const dataRoot = e2eDataRoot();

function dataDir(project: string): string {
	const dir = path.join(dataRoot, project);
	mkdirSync(dir, { recursive: true });
	return dir;
}

const host = '127.0.0.1';
const devPort = Number(process.env.E2E_DEV_PORT ?? 4173);
const prodPort = Number(process.env.E2E_PROD_PORT ?? 4174);
const nojsDevPort = Number(process.env.E2E_NOJS_PORT ?? 4175);
const nojsProdPort = Number(process.env.E2E_NOJS_PROD_PORT ?? nojsDevPort + 1);
const servers = {
	dev: { url: `http://${host}:${devPort}`, dataDir: dataDir('dev') },
	prod: { url: `http://${host}:${prodPort}`, dataDir: dataDir('prod') },
	nojsDev: { url: `http://${host}:${nojsDevPort}`, dataDir: dataDir('nojs-dev') },
	nojsProd: { url: `http://${host}:${nojsProdPort}`, dataDir: dataDir('nojs-prod') }
};
const setupSpec = /first-run\.spec\.ts$/;
const noJavaScriptSpec = /no-javascript\.spec\.ts$/;
// Every browser of the suite comes from 127.0.0.1: the per-address limits (20 sign-ins, 30 invitation
// uses in 15 minutes) are for a real network; the per-account and per-token limits stay as they are.
const serverEnv = {
	HOST: host,
	LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
	SIGN_IN_LIMIT_PER_ADDRESS: '1000',
	INVITE_LIMIT_PER_ADDRESS: '1000'
};

/**
 * The projects named on the command line (`--project=dev`, `--project dev nojs-*`), or null for all.
 * Playwright starts every `webServer` whichever projects run, so a server that only unselected
 * projects use would cost a start (and, for the build, an `npm run build`) for nothing.
 */
function selectedProjects(argv: string[]): RegExp[] | null {
	const names: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		if (arg.startsWith('--project=')) names.push(arg.slice('--project='.length));
		else if (arg === '--project') while (argv[i + 1] && !argv[i + 1]!.startsWith('-')) names.push(argv[++i]!);
	}
	if (names.length === 0) return null;
	// As Playwright matches them: case-insensitively, `*` a wildcard.
	const pattern = (name: string) => name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
	return names.map((name) => new RegExp(`^${pattern(name)}$`, 'i'));
}
const selected = selectedProjects(process.argv);
type WebServer = NonNullable<Extract<PlaywrightTestConfig['webServer'], unknown[]>>[number];
/** `server`, when one of the projects it serves (setup projects included) runs in this invocation. */
function serving(projects: string[], server: WebServer): WebServer[] {
	return !selected || projects.some((project) => selected.some((name) => name.test(project))) ? [server] : [];
}

/** `npm run dev` on `port`, with its own DATA_DIR. */
function devServer(name: string, port: number, dataDir: string): WebServer {
	return {
		name,
		command: `npm run dev -- --host ${host} --port ${port} --strictPort`,
		url: `http://${host}:${port}/healthz`,
		env: { ...serverEnv, DATA_DIR: dataDir },
		reuseExistingServer: false,
		// Vite's own lines (a full page reload, a dependency re-optimised) explain a flaky run.
		stdout: 'pipe',
		timeout: 120_000
	};
}

/** The production build on `port`, with its own DATA_DIR. */
function prodServer(name: string, port: number, dataDir: string): WebServer {
	const url = `http://${host}:${port}`;
	return {
		name,
		// E2E_PROD_SERVER: a copy of the build elsewhere, when someone else rebuilds build/ meanwhile.
		command: `node ${process.env.E2E_PROD_SERVER ?? 'build/server.js'}`,
		url: `${url}/healthz`,
		env: { ...serverEnv, PORT: String(port), DATA_DIR: dataDir, ORIGIN: url },
		reuseExistingServer: false,
		// Server warnings and errors (LOG_LEVEL=warn, pino writes to stdout) belong in the test output.
		stdout: 'pipe',
		timeout: 60_000
	};
}

export default defineConfig<E2EOptions>({
	testDir: './tests/e2e',
	// Only Playwright's own artefacts: scripts/test.sh keeps the JSON reports beside this folder.
	outputDir: './test-results/playwright',
	fullyParallel: false,
	forbidOnly: !!process.env.CI,
	retries: 0,
	// Two cores: the two projects run side by side, one worker each.
	workers: 2,
	// A bound on a hang, not a performance claim: a shared 2-core machine running the dev server
	// (which compiles on first visit) next to the build can make a two-browser test take a minute.
	timeout: 120_000,
	expect: { timeout: 10_000 },
	reporter: [['list'], ['json', { outputFile: './test-results/playwright.json' }]],
	use: {
		// Paraglide picks the language from Accept-Language before falling back to Finnish.
		locale: 'fi-FI',
		trace: 'retain-on-failure',
		// Playwright cannot download its browsers here: drive Debian's Chromium.
		launchOptions: {
			executablePath: '/usr/bin/chromium',
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	// The first-run setup (/setup, open only while no account exists) runs first on each server, in
	// its own project; every other spec depends on it and makes its own accounts with the admin tool,
	// so no spec depends on the order of the others.
	projects: [
		{ name: 'setup-dev', testMatch: setupSpec, use: { baseURL: servers.dev.url, dataDir: servers.dev.dataDir } },
		{ name: 'setup-prod', testMatch: setupSpec, use: { baseURL: servers.prod.url, dataDir: servers.prod.dataDir } },
		{
			name: 'dev',
			testIgnore: [setupSpec, noJavaScriptSpec],
			dependencies: ['setup-dev'],
			use: { baseURL: servers.dev.url, dataDir: servers.dev.dataDir }
		},
		{
			name: 'prod',
			testIgnore: [setupSpec, noJavaScriptSpec],
			dependencies: ['setup-prod'],
			use: { baseURL: servers.prod.url, dataDir: servers.prod.dataDir }
		},
		// Vite's dev server renders every page on the server as the build does, so both run without
		// JavaScript: a form that works only once the page is hydrated fails in both.
		{
			name: 'nojs-dev',
			testMatch: noJavaScriptSpec,
			use: { baseURL: servers.nojsDev.url, dataDir: servers.nojsDev.dataDir, javaScriptEnabled: false }
		},
		{
			name: 'nojs-prod',
			testMatch: noJavaScriptSpec,
			use: { baseURL: servers.nojsProd.url, dataDir: servers.nojsProd.dataDir, javaScriptEnabled: false }
		}
	],
	webServer: [
		...serving(['setup-dev', 'dev'], devServer('dev', devPort, servers.dev.dataDir)),
		...serving(['setup-prod', 'prod'], prodServer('prod', prodPort, servers.prod.dataDir)),
		...serving(['nojs-dev'], devServer('nojs-dev', nojsDevPort, servers.nojsDev.dataDir)),
		...serving(['nojs-prod'], prodServer('nojs-prod', nojsProdPort, servers.nojsProd.dataDir))
	]
});
