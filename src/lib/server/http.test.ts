import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { apiError, maxJsonBodyBytes, readJson } from './http.js';

const Body = v.object({ name: v.pipe(v.string(), v.maxLength(200)) });

async function refusal(request: Request) {
	try {
		await readJson(request, Body);
	} catch (cause) {
		const response = apiError(cause);
		return { status: response.status, body: (await response.json()) as { error: { code: string; message: string } } };
	}
	throw new Error('the body was accepted');
}

describe('readJson: a JSON body is bounded before it is kept (issue 20)', () => {
	const big = JSON.stringify({ name: 'Äijälä'.repeat(maxJsonBodyBytes) });

	it('refuses a body over the limit with 413 and a message, by its declared length', async () => {
		const result = await refusal(new Request('http://verkosto.test/api', { method: 'POST', body: big }));
		expect(result).toEqual({ status: 413, body: { error: { code: 'too_large', message: expect.stringContaining('KiB') } } });
	});

	it('refuses a streamed body without a declared length as soon as it passes the limit', async () => {
		const chunk = new TextEncoder().encode('ö'.repeat(16 * 1024));
		let sent = 0;
		const stream = new ReadableStream<Uint8Array>({
			pull(controller) {
				sent++;
				controller.enqueue(chunk);
			}
		});
		const request = new Request('http://verkosto.test/api', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
		expect((await refusal(request)).status).toBe(413);
		// It stopped reading: an endless body was not read to its end.
		expect(sent * chunk.byteLength).toBeLessThan(maxJsonBodyBytes * 2);
	});

	it('refuses an over-long field with 400 and names it', async () => {
		const result = await refusal(
			new Request('http://verkosto.test/api', { method: 'POST', body: JSON.stringify({ name: 'Sjöström'.repeat(30) }) })
		);
		expect(result.status).toBe(400);
		expect(result.body.error).toMatchObject({ code: 'invalid', issues: [{ path: 'name' }] });
	});

	it('reads a body within the limit', async () => {
		const request = new Request('http://verkosto.test/api', { method: 'POST', body: JSON.stringify({ name: 'Åsa Sjöström' }) });
		expect(await readJson(request, Body)).toEqual({ name: 'Åsa Sjöström' });
	});
});
