import { m } from '$lib/paraglide/messages';
import { RoomActionError } from './room-channel.svelte';

/**
 * What a participant reads when a room action (a step, a hand, a turn) fails, in the reader's
 * language. The server's message in an acknowledgement is English and meant for logs and
 * integrations (docs/api.md); the page goes by its code. An unknown code, or a failure that is
 * not a refusal at all, reads as the general "could not record this".
 */
export function roomActionFailure(error: unknown): string {
	const code = error instanceof RoomActionError ? error.code : '';
	const text = Object.hasOwn(byCode, code) ? byCode[code as keyof typeof byCode] : m.room_error_other;
	return text();
}

const byCode = {
	offline: m.room_error_offline,
	timeout: m.room_error_timeout,
	rate_limited: m.room_error_rate_limited,
	unauthenticated: m.room_error_unauthenticated,
	forbidden: m.room_error_forbidden,
	not_found: m.room_error_not_found,
	unprocessable: m.room_error_unprocessable,
	// The only conflict a room decision meets: the meeting closed (server/policy.ts).
	conflict: m.meeting_closed_refusal,
	storage_full: m.room_error_storage_full
} as const;
