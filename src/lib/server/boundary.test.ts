import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * One server boundary (docs/architecture.md): SvelteKit's code under src/ reaches the domain only
 * through `locals.app`. It may import types from server/, never runtime code: Vite would bundle that
 * code a second time into SvelteKit's output, beside the copy in build/server.js, and the two copies
 * would not share state or classes. This reads every source file the way a bundler would.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const serverDir = path.join(root, 'server') + path.sep;
const srcDir = path.join(root, 'src');
/** Generated (Paraglide) and this test itself, which names the patterns it looks for. */
const skipped = [path.join(srcDir, 'lib', 'paraglide') + path.sep, fileURLToPath(import.meta.url)];

function sources(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const file = path.join(dir, entry.name);
		if (skipped.some((skip) => file === skip || (file + path.sep).startsWith(skip))) return [];
		if (entry.isDirectory()) return sources(file);
		return /\.(ts|js|svelte)$/.test(entry.name) ? [file] : [];
	});
}

interface RuntimeImport {
	specifier: string;
	statement: string;
}

/** The imports in `text` that load a module at run time (not `import type`, not `import('…').T`). */
function runtimeImports(text: string): RuntimeImport[] {
	const found: RuntimeImport[] = [];
	// Static imports and re-exports, over several lines: `import X, { a, type B } from '…'`.
	for (const match of text.matchAll(/(?:^|[;\n])\s*(import|export)\s+(?!\()([^;'"]*?)\s*from\s*['"]([^'"]+)['"]/g)) {
		const [, keyword = '', clause = '', specifier = ''] = match;
		if (/^type\b/.test(clause)) continue;
		const named = /^\{([\s\S]*)\}$/.exec(clause.trim());
		const allTypes =
			named !== null &&
			(named[1] ?? '')
				.split(',')
				.map((name) => name.trim())
				.filter(Boolean)
				.every((name) => name.startsWith('type '));
		if (!allTypes) found.push({ specifier, statement: `${keyword} ${clause.replace(/\s+/g, ' ')} from '${specifier}'` });
	}
	// Side-effect imports: `import '…'`.
	for (const [, specifier = ''] of text.matchAll(/(?:^|[;\n])\s*import\s*['"]([^'"]+)['"]/g)) {
		found.push({ specifier, statement: `import '${specifier}'` });
	}
	// Dynamic imports; `import('…').Name` in a type position loads nothing, `.then` does.
	for (const match of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)(\s*\.\s*([A-Za-z_$][\w$]*))?/g)) {
		const [statement, specifier = '', , member] = match;
		if (member && member !== 'then' && member !== 'catch' && member !== 'finally') continue;
		found.push({ specifier, statement });
	}
	return found;
}

/** Where a relative specifier points, or null for a package or an alias (`$lib`, `$app`). */
function target(file: string, specifier: string): string | null {
	return specifier.startsWith('.') ? path.resolve(path.dirname(file), specifier) : null;
}

describe('one server boundary: src/ imports only types from server/', () => {
	it('reads runtime and type-only imports apart', () => {
		const text = [
			"import type { App } from '../server/app.js';",
			"import { type Principal, type Access } from '../server/policy.js';",
			"import {\n\tDomainError,\n\ttype DomainErrorCode\n} from '../server/errors.js';",
			"export { exportMeeting } from '../server/exports/index.js';",
			"export type { Auth } from '../server/auth.js';",
			"import '../server/log.js';",
			"let p: import('../server/policy.js').Principal;",
			"const m = await import('../server/main.js');",
			"import('../server/admin.js').then(run);"
		].join('\n');
		expect(runtimeImports(text).map((found) => found.specifier)).toEqual([
			'../server/errors.js',
			'../server/exports/index.js',
			'../server/log.js',
			'../server/main.js',
			'../server/admin.js'
		]);
	});

	it('no route, hook or $lib module imports runtime code from server/', () => {
		const files = sources(srcDir);
		expect(files.length).toBeGreaterThan(50);
		const crossings = files.flatMap((file) =>
			runtimeImports(fs.readFileSync(file, 'utf8'))
				.filter(({ specifier }) => target(file, specifier)?.startsWith(serverDir))
				.map(({ statement }) => `${path.relative(root, file)}: ${statement}`)
		);
		expect(crossings).toEqual([]);
	});

	it('no code under src/ tells a DomainError by its class: each bundle has its own copy (isDomainError)', () => {
		const uses = sources(srcDir).flatMap((file) =>
			/instanceof\s+DomainError\b/.test(fs.readFileSync(file, 'utf8')) ? [path.relative(root, file)] : []
		);
		expect(uses).toEqual([]);
	});
});
