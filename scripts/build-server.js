// Bundles the composition root (server/main.ts) into build/server.js, beside SvelteKit's
// build/handler.js. Packages stay external: they are installed in node_modules.
import fs from 'node:fs';
import path from 'node:path';
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

// Server code is bundled once, here. SvelteKit's output (build/server/) reaches the App through
// `locals.app` and must not carry a second copy of it (docs/architecture.md, "One server boundary"):
// a package only server/ uses, imported from there, means a page imported runtime code from server/.
const serverOnly = ['better-sqlite3', '@node-rs/argon2', 'lucia', 'pdfkit', 'socket.io', 'engine.io', 'pino', 'prom-client'];
const importOf = new RegExp(`(?:from|import)\\s*\\(?\\s*["'](${serverOnly.map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})(?:/[^"']*)?["']`);
const offenders = [];
(function walk(dir) {
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const file = path.join(dir, entry.name);
		if (entry.isDirectory()) walk(file);
		else if (file.endsWith('.js')) {
			const match = importOf.exec(fs.readFileSync(file, 'utf8'));
			if (match) offenders.push(`${file}: imports ${match[1]}`);
		}
	}
})('build/server');
if (offenders.length > 0) {
	console.error(`SvelteKit's server output carries server code (import only types from server/ in src/):\n${offenders.join('\n')}`);
	process.exit(1);
}
