import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { verkostoDev } from './server/dev-plugin';

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			// Each participant picks their own language in the same live meeting, so it is not in the URL.
			strategy: ['cookie', 'preferredLanguage', 'baseLocale']
		}),
		sveltekit(),
		verkostoDev(),
		{
			// Fewer, larger chunks for the browser: on a slow mobile link each script costs a round trip
			// on one of the browser's six connections, and the room page loaded 40 of them, half under
			// 1 KiB (docs/performance.md). Not for the server's build: merging its chunks renames the
			// exports SvelteKit checks.
			name: 'verkosto-fewer-chunks',
			applyToEnvironment: (environment) => environment.name === 'client',
			outputOptions: (options) => ({ ...options, experimentalMinChunkSize: 10 * 1024 })
		}
	],
	server: {
		// Not source: the dev database (written on every edit), test artefacts written while the
		// suite drives this server (trace resources), the production build, scratch folders.
		watch: { ignored: ['**/data/**', '**/test-results/**', '**/build/**', '**/tmp/**'] }
	},
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['src/**/*.test.ts', 'server/**/*.test.ts'],
					environment: 'node'
				}
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					testTimeout: 60_000,
					hookTimeout: 60_000
				}
			}
		]
	}
});
