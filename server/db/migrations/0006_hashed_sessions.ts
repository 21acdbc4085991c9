/**
 * Sessions are stored by the SHA-256 of their id, not the id (server/auth.ts, `storedSessionId`).
 * SQLite cannot hash the rows already there, so they end: everyone signs in once more, and guests
 * open their invitation link again (it stays valid for its own lifetime).
 */
export const sql = `
DELETE FROM sessions;
`;
