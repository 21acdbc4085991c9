/**
 * Close codes of the Yjs websocket at `/yjs/<meetingId>` — a public contract (docs/close-codes.md).
 * Integrations and other clients branch on these numbers: add new ones, never renumber.
 *
 * 1000–1015 are the standard codes of RFC 6455 §7.4.1; 4000–4999 are ours.
 * The 44xx codes mirror the HTTP status a peer would recognise.
 */
export const CloseCode = {
	/** The server is shutting down; reconnect later. */
	GoingAway: 1001,
	/** A frame was larger than the configured limit (`MAX_MESSAGE_BYTES`, default 1 MiB). */
	MessageTooBig: 1009,
	/** The server failed (for example the meeting's document could not be loaded or stored). */
	InternalError: 1011,
	/** The peer reads too slowly and its send buffer overflowed; reconnect. */
	TryAgainLater: 1013,
	/** A message could not be decoded (bad varint, truncated, trailing bytes, invalid Yjs update). */
	MalformedMessage: 4400,
	/** No valid session. */
	Unauthenticated: 4401,
	/**
	 * A session, but no access to this meeting (or access was revoked, or the account disabled); or a
	 * browser request from an origin other than the app's own (server/origins.ts).
	 */
	Forbidden: 4403,
	/** No meeting with this id exists. */
	MeetingNotFound: 4404,
	/**
	 * The session that opened this connection ended: signed out, expired, or (a guest's) invitation
	 * link replaced. Sign in again (or open the newest invitation link). Mirrors IIS's 440 Login Time-out.
	 */
	SessionEnded: 4440,
	/** The update would make the meeting's document larger than `MAX_DOCUMENT_BYTES`. */
	DocumentTooLarge: 4413,
	/** A well-formed message of a type this endpoint does not accept. */
	UnsupportedMessageType: 4415,
	/** More updates or awareness messages per second than the limits allow; reconnect after a pause. */
	RateLimited: 4429,
	/** The server's disk is full: the update was not stored (nor relayed); keep it and retry later. */
	StorageFull: 4507
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Codes after which reconnecting with the same credentials cannot succeed. */
export const permanentCloseCodes: ReadonlySet<number> = new Set([
	// The same frame would be sent again on reconnect and refused again, every few seconds, forever.
	CloseCode.MessageTooBig,
	CloseCode.MalformedMessage,
	CloseCode.Unauthenticated,
	CloseCode.Forbidden,
	CloseCode.MeetingNotFound,
	CloseCode.DocumentTooLarge,
	CloseCode.UnsupportedMessageType,
	// Reconnecting with the ended session's cookie is refused with 4401; the person must sign in again.
	CloseCode.SessionEnded
]);

/** The close reason is limited to 123 bytes by RFC 6455; keep reasons short and ASCII. */
export const closeReasons: Record<CloseCode, string> = {
	[CloseCode.GoingAway]: 'server shutting down',
	[CloseCode.MessageTooBig]: 'message too big',
	[CloseCode.InternalError]: 'internal error',
	[CloseCode.TryAgainLater]: 'too slow, reconnect',
	[CloseCode.MalformedMessage]: 'malformed message',
	[CloseCode.Unauthenticated]: 'unauthenticated',
	[CloseCode.Forbidden]: 'forbidden',
	[CloseCode.MeetingNotFound]: 'meeting not found',
	[CloseCode.UnsupportedMessageType]: 'unsupported message type',
	[CloseCode.SessionEnded]: 'session ended',
	[CloseCode.DocumentTooLarge]: 'document too large',
	[CloseCode.RateLimited]: 'rate limited',
	[CloseCode.StorageFull]: 'storage full, retry later'
};
