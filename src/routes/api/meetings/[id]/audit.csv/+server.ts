import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/**
 * `GET /api/meetings/:id/audit.csv[?scope=path][&lang=fi|sv|en]` → the meeting's (or its whole service
 * path's) audit trail as CSV for the client, in the meeting's language. Coordinators only; the
 * download is itself recorded (docs/audit.md).
 */
export const GET: RequestHandler = ({ params, locals, url }) => {
	try {
		const file = locals.app.trail.csv(locals.principal, params.id, { scope: url.searchParams.get('scope'), lang: url.searchParams.get('lang') });
		return new Response(file.body, {
			headers: {
				'content-type': 'text/csv; charset=utf-8',
				'content-disposition': `attachment; filename="${file.fileName}"`,
				'cache-control': 'private, no-store'
			}
		});
	} catch (cause) {
		return apiError(cause);
	}
};
