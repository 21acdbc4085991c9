import type { RequestEvent } from '@sveltejs/kit';
import { apiError } from '$lib/server/http';
import type { ExportFormat } from '../../../server/exports/index.js';

/** What a browser does with each format: read a PDF or text in place, save the others. */
const disposition: Record<ExportFormat, 'inline' | 'attachment'> = {
	pdf: 'inline',
	'plain-pdf': 'inline',
	'plain-txt': 'inline',
	fhir: 'attachment',
	ics: 'attachment',
	json: 'attachment'
};

/**
 * `GET /api/meetings/:id/export.*`: one export of the closed plan, for the meeting's participants,
 * audited (server/exports). `?lang=fi|sv|en` asks for another language than the meeting's.
 */
export async function exportResponse(event: RequestEvent<{ id: string }>, format: ExportFormat): Promise<Response> {
	try {
		const { locals, params, url } = event;
		const file = await locals.app.exportFile(locals.principal, params.id, format, url.searchParams.get('lang'));
		return new Response(typeof file.body === 'string' ? file.body : Buffer.from(file.body), {
			headers: {
				...file.headers,
				'content-type': file.contentType,
				'content-disposition': `${url.searchParams.has('download') ? 'attachment' : disposition[format]}; filename="${file.fileName}"`,
				'cache-control': 'private, no-store'
			}
		});
	} catch (cause) {
		return apiError(cause);
	}
}
