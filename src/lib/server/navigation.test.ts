import { describe, expect, it } from 'vitest';
import { safeNext } from './navigation';

/** The app's own origin in these tests: a result must resolve against it and stay on it. */
const appOrigin = 'https://verkosto.example.fi';
const fallback = '/fallback';

/** Every tricky value from issue 20 item 4 and its relatives; each must stay on the site. */
const hostile = [
	'//evil.example',
	'//evil.example/x',
	'/\\evil.example',
	'\\\\evil.example',
	'\\/evil.example',
	'/.//evil.example',
	'/..//evil.example',
	'/./.././/evil.example',
	'/%2e//evil.example',
	'/%2e%2e//evil.example',
	'%2F%2Fevil.example',
	'/%2F%2Fevil.example',
	'/%2f/evil.example',
	'/%5Cevil.example',
	'/%5cevil.example',
	'https://evil.example',
	'https:evil.example',
	'http:evil.example',
	'HTTPS://evil.example',
	'\t//evil.example',
	'/\t/evil.example',
	'/\n/evil.example',
	'/\r\n/evil.example',
	'/%09/evil.example',
	'/%0a/evil.example',
	' //evil.example',
	'javascript:alert(1)',
	'JaVaScRiPt:alert(1)',
	'data:text/html,<script>alert(1)</script>',
	'evil.example',
	'meetings',
	'@evil.example',
	'/x/../../..//evil.example',
	'/%E4',
	'/\u0000//evil.example',
	'/\u007f/evil.example',
	'',
	null,
	undefined
];

/** Odd-looking but paths on this site all the same: kept (a browser stays here). */
const oddButLocal = ['/javascript:alert(1)', '/@evil.example'];

describe('safeNext: after signing in or choosing a language, only a page of this site', () => {
	it('keeps a local path with its query and hash', () => {
		expect(safeNext('/meetings/abc?x=1#y', fallback)).toBe('/meetings/abc?x=1#y');
		expect(safeNext('/', fallback)).toBe('/');
		expect(safeNext('/meetings/abc/participants', fallback)).toBe('/meetings/abc/participants');
		expect(safeNext('/?lang=sv', fallback)).toBe('/?lang=sv');
		expect(safeNext('/meetings/Äänekoski', fallback)).toBe('/meetings/%C3%84%C3%A4nekoski');
	});

	it('normalises dot segments inside the site', () => {
		expect(safeNext('/meetings/./abc/../xyz', fallback)).toBe('/meetings/xyz');
		for (const raw of oddButLocal) expect(safeNext(raw, fallback)).toBe(raw);
	});

	it.each([...hostile, ...oddButLocal].map((raw) => [JSON.stringify(raw), raw] as const))('%s stays on the site', (_, raw) => {
		const result = safeNext(raw, fallback);
		expect(result.startsWith('/')).toBe(true);
		expect(result.startsWith('//')).toBe(false);
		expect(result.startsWith('/\\')).toBe(false);
		expect(result).not.toMatch(/[\u0000-\u001f\u007f\\]/);
		// What a browser does with the Location header: resolve it against the page's origin.
		expect(new URL(result, appOrigin).origin).toBe(appOrigin);
		expect(new URL(result, appOrigin).host).toBe('verkosto.example.fi');
		// Percent-decoding the path does not make a host either (a router downstream decodes it).
		expect(decodeURIComponent(new URL(result, appOrigin).pathname).startsWith('//')).toBe(false);
	});

	it('answers the fallback for each value that is not already a path of the site', () => {
		for (const raw of hostile) expect(safeNext(raw, fallback), JSON.stringify(raw)).toBe(fallback);
	});

	it('falls back to the front page by default', () => {
		expect(safeNext('//evil.example')).toBe('/');
	});
});
