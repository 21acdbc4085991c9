import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CloseCode, closeReasons, permanentCloseCodes } from './close-codes';

/** docs/close-codes.md's table: code → the "should the client reconnect?" cell. */
const documented = new Map(
	readFileSync(new URL('../../../docs/close-codes.md', import.meta.url), 'utf8')
		.split('\n')
		.map((line) => line.split('|').map((cell) => cell.trim()))
		.filter((cells) => /^\d{4}$/.test(cells[1] ?? ''))
		.map((cells) => [Number(cells[1]), cells[4] ?? ''] as const)
);

describe('close codes', () => {
	it('every code is documented, with a reason', () => {
		for (const code of Object.values(CloseCode)) {
			expect(documented.has(code), `docs/close-codes.md lists ${code}`).toBe(true);
			expect(closeReasons[code].length).toBeGreaterThan(0);
		}
	});

	it('the browser stops reconnecting after exactly the codes the docs say not to reconnect after', () => {
		for (const [code, answer] of documented) {
			expect(permanentCloseCodes.has(code), `${code}: "${answer}"`).toBe(/^no\b/.test(answer));
		}
	});
});
