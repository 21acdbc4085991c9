import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every UI string exists, non-empty, in Finnish, Swedish and English, and every key is used
 * (issue #7). Reads the catalogs the way Paraglide does: project.inlang/settings.json's patterns.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const settings = JSON.parse(fs.readFileSync(path.join(root, 'project.inlang/settings.json'), 'utf8')) as {
	locales: string[];
	'plugin.inlang.messageFormat': { pathPattern: string | string[] };
};
const patterns = [settings['plugin.inlang.messageFormat'].pathPattern].flat();

function catalog(pattern: string, locale: string): Record<string, unknown> {
	const file = path.join(root, pattern.replace('{locale}', locale));
	const { $schema: _schema, ...messages } = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
	return messages;
}

function sourceFiles(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'paraglide' || entry.name === 'node_modules' ? [] : sourceFiles(full);
		return /\.(ts|svelte)$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
	});
}

describe('message catalogs', () => {
	it('cover the three languages', () => {
		expect([...settings.locales].sort()).toEqual(['en', 'fi', 'sv']);
	});

	for (const pattern of patterns) {
		it(`${pattern}: every key in every language, none empty`, () => {
			const byLocale = Object.fromEntries(settings.locales.map((locale) => [locale, catalog(pattern, locale)]));
			const allKeys = new Set(Object.values(byLocale).flatMap((messages) => Object.keys(messages)));
			const problems: string[] = [];
			for (const key of allKeys) {
				for (const locale of settings.locales) {
					const value = byLocale[locale]![key];
					if (value === undefined) problems.push(`${locale}: missing ${key}`);
					else if (typeof value === 'string' ? value.trim() === '' : value === null) problems.push(`${locale}: empty ${key}`);
				}
			}
			expect(problems).toEqual([]);
		});
	}

	it('have no key used nowhere, and no key defined twice across files', () => {
		const keys = patterns.flatMap((pattern) => Object.keys(catalog(pattern, 'fi')));
		const duplicates = keys.filter((key, i) => keys.indexOf(key) !== i);
		expect(duplicates).toEqual([]);
		const code = [...sourceFiles(path.join(root, 'src')), ...sourceFiles(path.join(root, 'server'))]
			.map((file) => fs.readFileSync(file, 'utf8'))
			.join('\n');
		const used = new Set([...code.matchAll(/\bm\.([A-Za-z0-9_]+)\b/g)].map((match) => match[1]));
		expect(keys.filter((key) => !used.has(key))).toEqual([]);
	});
});
