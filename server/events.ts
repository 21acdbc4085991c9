import { EventEmitter } from 'node:events';

/**
 * What happens in a meeting that the live channels must hear about. The App makes one emitter first
 * and hands it to what emits (the domain's `onChange`s) and what listens (socket.io), so neither has
 * to exist before the other and nothing is patched in after construction.
 */
export interface AppEventMap {
	/** A decision, the consent or the meeting's state changed: send the room state again. */
	'room-changed': [meetingId: string];
	/** The meeting was deleted: its live connections end. */
	'meeting-deleted': [meetingId: string];
}

export type AppEvents = EventEmitter<AppEventMap>;

export function createAppEvents(): AppEvents {
	// Listeners run synchronously in emit order; one per channel, so the default cap of 10 is no concern.
	return new EventEmitter<AppEventMap>();
}
