import type { Cookies } from '@sveltejs/kit';
import { sessionCookieName } from '../../../server/auth.js';

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
