import { redirect, type Handle } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { appOf } from '$lib/server/app';
import { clearSessionCookie, sessionCookieName, setSessionCookie } from '$lib/server/session';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { auditAccess } from '$lib/server/access-audit';
import { compressPages } from '$lib/server/compress';

const locale: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', locale) });
	});

/** Resolves the session once into `locals.principal`; extends a session used in its second half. */
const session: Handle = async ({ event, resolve }) => {
	const app = appOf(event.platform);
	event.locals.app = app;
	const sessionId = event.cookies.get(sessionCookieName);
	const { principal, fresh, expiresAt } = await app.session(sessionId);
	event.locals.principal = principal;
	if (sessionId && principal.kind === 'anonymous') clearSessionCookie(event.cookies, event.url);
	if (fresh && expiresAt && principal.kind !== 'anonymous') {
		setSessionCookie(event.cookies, event.url, principal.sessionId, expiresAt);
	}
	return resolve(event);
};

/** First run: while no account exists, every page leads to /setup, and only /setup creates one. */
const firstRun: Handle = ({ event, resolve }) => {
	const path = event.url.pathname;
	// The language picker posts to /language, also on the setup page without JavaScript.
	const open = path.startsWith('/setup') || path.startsWith('/api/') || path === '/accessibility' || path === '/language';
	if (!open && event.locals.app.accounts.setupRequired()) {
		redirect(303, '/setup');
	}
	return resolve(event);
};

/**
 * Headers that no response may go without. Invitation links must never leak through Referer:
 * `same-origin` sends no referrer to any other origin. (`no-referrer` would do the same outside, but
 * it makes browsers send `Origin: null` on our own form posts, which SvelteKit's origin check then
 * refuses — and the forms must work without JavaScript. docs/architecture.md.)
 */
const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	response.headers.set('referrer-policy', 'same-origin');
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('x-frame-options', 'DENY');
	response.headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=()');
	if (event.url.protocol === 'https:') response.headers.set('strict-transport-security', 'max-age=31536000');
	if (!response.headers.has('cache-control') && event.locals.principal?.kind !== 'anonymous') {
		response.headers.set('cache-control', 'private, no-store');
	}
	return response;
};

// auditAccess after session: it needs the principal, and sees the answer every later step made.
export const handle = sequence(securityHeaders, compressPages, session, firstRun, auditAccess, locale);
