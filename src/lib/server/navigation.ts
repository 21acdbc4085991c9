import { redirect } from '@sveltejs/kit';
import { DomainError } from '../../../server/errors.js';
import { pageError } from './http';

/** Sends an anonymous visitor to the sign-in page, to come back here afterwards. */
export function signInFirst(url: URL): never {
	redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
}

/**
 * Where to go after signing in: only a path on this site. Anything else (`//evil.example`,
 * `https://…`, `/\evil.example`, a javascript: URL) falls back to the front page, so the sign-in
 * form cannot be used as an open redirect.
 */
export function localPath(next: string | null | undefined, fallback = '/'): string {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
	const base = 'http://verkosto.invalid';
	let target: URL;
	try {
		target = new URL(next, base);
	} catch {
		return fallback;
	}
	if (target.origin !== base) return fallback;
	return target.pathname + target.search + target.hash;
}

/** For loads: "sign in first" becomes the sign-in page; any other refusal the error page. */
export function loadRefusal(cause: unknown, url: URL): never {
	if (cause instanceof DomainError && cause.code === 'unauthenticated') signInFirst(url);
	pageError(cause);
}
