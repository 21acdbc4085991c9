/** The session cookie's name: the server reads it from upgrades (server/auth.ts), the pages set it. */
export const sessionCookieName = 'verkosto_session';
