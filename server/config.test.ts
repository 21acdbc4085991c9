import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configFrom } from './config.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
/** The rows of the README's configuration table: every `NAME` in a row's first cell. */
const documented = new Set(
	readme
		.split('\n')
		.filter((line) => line.startsWith('| `'))
		.flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => match[1]!))
);

describe('configuration', () => {
	it('every variable the server reads is in the README configuration table', () => {
		// Record each name configFrom asks the environment for, whatever the code around it does.
		const read = new Set<string>();
		const env = new Proxy({} as NodeJS.ProcessEnv, {
			get(_, name) {
				if (typeof name === 'string') read.add(name);
				return undefined;
			}
		});
		configFrom(env);
		expect(read.size).toBeGreaterThan(10);
		expect([...read].filter((name) => !documented.has(name))).toEqual([]);
	});

	it('refuses an AUDIT_RETENTION_DAYS that would empty the trail', () => {
		expect(configFrom({}).auditRetentionDays).toBe(4383);
		expect(configFrom({ AUDIT_RETENTION_DAYS: '30' }).auditRetentionDays).toBe(30);
		expect(() => configFrom({ AUDIT_RETENTION_DAYS: '0' })).toThrow('AUDIT_RETENTION_DAYS must be at least 1, got 0');
		expect(() => configFrom({ AUDIT_RETENTION_DAYS: 'forever' })).toThrow('AUDIT_RETENTION_DAYS must be a non-negative integer');
	});
});
