/**
 * The message types of the standard y-websocket protocol, as the stock `WebsocketProvider` sends them.
 * (y-websocket's own module keeps these private, so both ends of our wire name them here.)
 */
export const MessageType = {
	Sync: 0,
	Awareness: 1,
	Auth: 2,
	QueryAwareness: 3
} as const;

/** Sub-types of a `Sync` message (y-protocols/sync). */
export const SyncMessageType = {
	Step1: 0,
	Step2: 1,
	Update: 2
} as const;

/** The websocket path of a meeting's document. */
export const yjsPath = (meetingId: string) => `/yjs/${encodeURIComponent(meetingId)}`;

/** Meeting ids are opaque strings of URL-safe characters. */
export const meetingIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
