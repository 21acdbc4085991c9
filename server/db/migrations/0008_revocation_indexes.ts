/**
 * The revocation sweep (server/app.ts) asks twice a second which accounts were disabled and which
 * participants revoked in the last seconds. Without an index each ask read the whole table: about
 * 2 ms at 80,000 participants (a region's year of meetings), on the thread that relays every edit.
 * Partial indexes hold only the rows that were ever revoked, so they cost nothing for the others;
 * with them (and its statements prepared once) the sweep takes a few microseconds at any size
 * (docs/architecture.md).
 */
export const sql = `
CREATE INDEX users_by_disabled_at ON users (disabled_at) WHERE disabled_at IS NOT NULL;
CREATE INDEX participants_by_revoked_at ON participants (revoked_at) WHERE revoked_at IS NOT NULL;
`;
