import type { Cookies } from '@sveltejs/kit';
import { sessionCookieName } from '$lib/protocol/session';
import type { Auth } from '../../../server/auth.js';

/** The session cookie: HttpOnly, SameSite=Lax, Secure whenever the page came over https. */
export function setSessionCookie(cookies: Cookies, url: URL, sessionId: string, expiresAt: Date): void {
	cookies.set(sessionCookieName, sessionId, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		expires: expiresAt
	});
}

export function clearSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(sessionCookieName, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:' });
}

export { sessionCookieName };

/**
 * Sets the cookie of a session that was just created (sign-in, setup, joining by invitation), with
 * the expiry the server gave it.
 */
export async function startSession(auth: Auth, cookies: Cookies, url: URL, sessionId: string): Promise<void> {
	const { session } = await auth.validateSession(sessionId);
	if (!session) throw new Error('a session was gone right after it was created');
	setSessionCookie(cookies, url, session.id, session.expiresAt);
}
