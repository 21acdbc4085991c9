// Bundles the composition root (server/main.ts) into build/server.js, beside SvelteKit's
// build/handler.js. Packages stay external: they are installed in node_modules.
import { build } from 'esbuild';

await build({
	entryPoints: ['server/main.ts'],
	outfile: 'build/server.js',
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node22',
	packages: 'external',
	sourcemap: true,
	logLevel: 'warning'
});
