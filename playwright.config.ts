import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import type { E2EOptions } from './tests/e2e/fixtures';

/**
 * The same specs run twice: against `npm run dev` (Vite plus the dev plugin) and against the
 * production build (`node build/server.js`, so `npm run build` must have run), because issue 2 asks
 * that dev and production behave alike. Each server gets its own empty DATA_DIR.
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
const servers = {
	dev: { url: `http://${host}:${devPort}`, dataDir: dataDir('dev') },
	prod: { url: `http://${host}:${prodPort}`, dataDir: dataDir('prod') }
};
const setupSpec = /first-run\.spec\.ts$/;
// Every browser of the suite comes from 127.0.0.1: the per-address limits (20 sign-ins, 30 invitation
// uses in 15 minutes) are for a real network; the per-account and per-token limits stay as they are.
const serverEnv = {
	HOST: host,
	LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
	SIGN_IN_LIMIT_PER_ADDRESS: '1000',
	INVITE_LIMIT_PER_ADDRESS: '1000'
};

export default defineConfig<E2EOptions>({
	testDir: './tests/e2e',
	// Only Playwright's own artefacts: scripts/test.sh keeps the JSON reports beside this folder.
	outputDir: './test-results/playwright',
	fullyParallel: false,
	forbidOnly: !!process.env.CI,
	retries: 0,
	// Two cores: the two projects run side by side, one worker each.
	workers: 2,
	timeout: 60_000,
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
			testIgnore: setupSpec,
			dependencies: ['setup-dev'],
			use: { baseURL: servers.dev.url, dataDir: servers.dev.dataDir }
		},
		{
			name: 'prod',
			testIgnore: setupSpec,
			dependencies: ['setup-prod'],
			use: { baseURL: servers.prod.url, dataDir: servers.prod.dataDir }
		}
	],
	webServer: [
		{
			name: 'dev',
			command: `npm run dev -- --host ${host} --port ${devPort} --strictPort`,
			url: `${servers.dev.url}/healthz`,
			env: { ...serverEnv, DATA_DIR: servers.dev.dataDir },
			reuseExistingServer: false,
			// Vite's own lines (a full page reload, a dependency re-optimised) explain a flaky run.
			stdout: 'pipe',
			timeout: 120_000
		},
		{
			name: 'prod',
			// E2E_PROD_SERVER: a copy of the build elsewhere, when someone else rebuilds build/ meanwhile.
			command: `node ${process.env.E2E_PROD_SERVER ?? 'build/server.js'}`,
			url: `${servers.prod.url}/healthz`,
			env: { ...serverEnv, PORT: String(prodPort), DATA_DIR: servers.prod.dataDir, ORIGIN: servers.prod.url },
			reuseExistingServer: false,
			// Server warnings and errors (LOG_LEVEL=warn, pino writes to stdout) belong in the test output.
			stdout: 'pipe',
			timeout: 60_000
		}
	]
});
