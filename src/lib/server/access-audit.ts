import type { Handle } from '@sveltejs/kit';
import type { MeetingRead } from '../../../server/audit-trail.js';

/**
 * Which reads of a meeting's data are recorded here, from the route's id alone, so that a new page
 * or API route under a meeting is in the audit trail without a line of its own (docs/audit.md):
 * every GET of `/meetings/[id]/…` (the page, and its `__data.json` on client-side navigation) and of
 * `/api/meetings/[id]/…`. Exports and the trail's CSV record themselves (`export`,
 * `audit_downloaded`, with their format), so they are not counted twice.
 */
export function auditedRead(routeId: string | null, method: string): MeetingRead | null {
	if (routeId === null || (method !== 'GET' && method !== 'HEAD')) return null;
	const match = /^\/(api\/)?meetings\/\[id\](?:\/([^/]+))?/.exec(routeId);
	if (!match) return null;
	const view = match[2] ?? (match[1] ? 'meeting' : 'room');
	if (view.startsWith('export.') || view === 'audit.csv') return null;
	return { channel: match[1] ? 'api' : 'page', view };
}

/**
 * Records every answered read of a meeting's data (2xx) before the answer leaves: if the entry
 * cannot be written, the reader gets 500 instead of data that is not in the trail.
 */
export const auditAccess: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const read = auditedRead(event.route.id, event.request.method);
	const meetingId = event.params.id;
	const { principal, app } = event.locals;
	if (!read || !meetingId || response.status < 200 || response.status >= 300 || !principal || principal.kind === 'anonymous') return response;
	try {
		app.trail.recordRead(principal, meetingId, read);
	} catch (error) {
		app.log.error({ err: error, meetingId, view: read.view }, 'a read could not be written to the audit trail; refused');
		await response.body?.cancel();
		return new Response(JSON.stringify({ error: { code: 'internal_error', message: 'The server could not record this access. Try again.' } }), {
			status: 500,
			headers: { 'content-type': 'application/json' }
		});
	}
	return response;
};
