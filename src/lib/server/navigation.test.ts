import { describe, expect, it } from 'vitest';
import { localPath } from './navigation';

describe('after signing in, ?next= leads only to a page of this site', () => {
	it('keeps a local path with its query', () => {
		expect(localPath('/meetings/abc?x=1#y')).toBe('/meetings/abc?x=1#y');
	});

	it('falls back to the front page for anything that could leave the site', () => {
		for (const next of [null, '', 'https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', 'meetings']) {
			expect(localPath(next)).toBe('/');
		}
	});
});
