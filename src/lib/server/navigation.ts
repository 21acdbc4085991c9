import { redirect } from '@sveltejs/kit';
import { isDomainError, pageError } from './http';

/** Sends an anonymous visitor to the sign-in page, to come back here afterwards. */
export function signInFirst(url: URL): never {
	redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
}

/** A host that cannot exist: raw targets are resolved against it to see where a browser would go. */
const dummyOrigin = 'http://verkosto.invalid';

/** C0 controls (tab, newline included), DEL and backslash: browsers strip or rewrite them. */
const unsafeCharacters = /[\u0000-\u001f\u007f\\]/;

/** A path a browser would read as another host: `//host` or, in WHATWG parsing, `/\host`. */
const hostLike = (path: string) => path.startsWith('//') || path.startsWith('/\\');

/**
 * Where to go after signing in (`?next=`) or after choosing a language (`back`): only a path on
 * this site. The raw value must already be an absolute path (`/…`) without backslashes or control
 * characters (browsers drop a tab or newline inside a URL, so `/\t/evil.example` would become
 * `//evil.example`); it is then resolved against a dummy origin, refused if the origin changed,
 * and what is kept is the resolved path, query and hash, whose path is checked again after
 * normalisation (`/.//evil.example` resolves to `//evil.example`) and once more percent-decoded
 * (`/%2F%2Fevil.example`, `/%5Cevil.example`), so that nothing downstream that decodes it can read
 * a host in it. Anything else is the fallback: the sign-in and language forms are no open
 * redirect.
 */
export function safeNext(raw: string | null | undefined, fallback = '/'): string {
	if (typeof raw !== 'string' || !raw.startsWith('/') || hostLike(raw) || unsafeCharacters.test(raw)) return fallback;
	let target: URL;
	try {
		target = new URL(raw, dummyOrigin);
	} catch {
		return fallback;
	}
	if (target.origin !== dummyOrigin) return fallback;
	const path = target.pathname;
	if (!path.startsWith('/') || hostLike(path)) return fallback;
	let decoded: string;
	try {
		decoded = decodeURIComponent(path);
	} catch {
		return fallback;
	}
	if (hostLike(decoded) || unsafeCharacters.test(decoded)) return fallback;
	return path + target.search + target.hash;
}

/** For loads: "sign in first" becomes the sign-in page; any other refusal the error page. */
export function loadRefusal(cause: unknown, url: URL): never {
	if (isDomainError(cause) && cause.code === 'unauthenticated') signInFirst(url);
	pageError(cause);
}
