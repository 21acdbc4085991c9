/**
 * A personal invitation link: the join page with the raw token, on the origin the coordinator is
 * using. Only here and in the one answer that makes the link does the token appear; the server
 * keeps its hash (server/invites.ts).
 */
export const joinUrl = (url: URL, token: string): string => new URL(`/join/${token}`, url.origin).href;
