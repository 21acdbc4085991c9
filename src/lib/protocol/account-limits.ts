/** An account's sign-in fields: the server's checks (server/users.ts, server/accounts.ts) and the forms share them. */
export const passwordMinLength = 12;
export const passwordMaxLength = 256;
/** RFC 5321's longest deliverable address (a path of 256 octets less its angle brackets). */
export const emailMaxLength = 254;
