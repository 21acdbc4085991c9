import type { Handle } from '@sveltejs/kit';

/**
 * The pages a client opens on a phone, often on a slow mobile link: the room page and its summary.
 * Their HTML (the rendered view, its styles and its data, about 35 KiB) goes gzipped, a quarter of
 * that on the wire, so the phone shows the page and takes typing sooner (docs/performance.md).
 * Static files are compressed at build time (adapter-node's precompressed files); these are rendered
 * per request. Only these pages, which carry no secret an outsider could guess at through the
 * compressed length (BREACH: no invitation token, no form token), are compressed.
 */
const compressedRoutes = new Set(['/meetings/[id]', '/meetings/[id]/summary']);

/** True when an Accept-Encoding header accepts gzip (a `gzip` or `*` entry without q=0). */
export function acceptsGzip(header: string | null): boolean {
	if (!header) return false;
	let accepted = false;
	for (const entry of header.split(',')) {
		const [name = '', ...params] = entry.trim().toLowerCase().split(';');
		const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
		const weight = q === undefined ? 1 : Number(q.slice(2));
		if (name.trim() === 'gzip') return weight > 0;
		if (name.trim() === '*') accepted = weight > 0;
	}
	return accepted;
}

export const compressPages: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (
		!compressedRoutes.has(event.route.id ?? '') ||
		!response.body ||
		response.headers.has('content-encoding') ||
		!(response.headers.get('content-type') ?? '').startsWith('text/html') ||
		!acceptsGzip(event.request.headers.get('accept-encoding'))
	) {
		return response;
	}
	const headers = new Headers(response.headers);
	headers.set('content-encoding', 'gzip');
	headers.delete('content-length');
	headers.append('vary', 'Accept-Encoding');
	return new Response(response.body.pipeThrough(new CompressionStream('gzip')), {
		status: response.status,
		statusText: response.statusText,
		headers
	});
};
