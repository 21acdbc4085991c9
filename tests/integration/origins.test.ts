/**
 * Origins (issue 20, item 3): a page on a sibling origin of the same site read a client's words over
 * `/yjs` with the victim's cookie, socket.io accepted any Origin and kept anonymous connections open,
 * and a cross-origin POST with no body and no content type reached `…/close`. Against the real server
 * (real SQLite file) with real ws, y-websocket, socket.io and HTTP clients: a browser's foreign
 * `Origin` is refused on every channel; clients that send no `Origin` (native, server) still work
 * with a session; socket.io refuses anonymous handshakes.
 *
 * Every state-changing HTTP route is enumerated from the route files themselves (`+server.ts`
 * handlers and `+page.server.ts` form actions), so a route added later cannot escape this test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../src/lib/protocol/close-codes.js';
import { account, meetingWithCoordinator, type Account } from '../helpers/people.js';
import { startServer } from '../helpers/server.js';
import { Clients, admit, removeDir, type RealtimeSocket, serverForFile } from './support.js';

const own = 'https://verkosto.example.fi';
const allowListed = 'https://tyokykytiimi.example.fi';
/** Foreign origins as an attacker's page would send them: a sibling of the same site, another site, an opaque origin. */
const foreign = ['https://muu.example.fi', 'https://evil.example', 'http://verkosto.example.fi', 'null'];

const shared = serverForFile({ origin: own, allowedOrigins: [allowListed] });
const { clients, sockets } = shared;
let meetingId: string;
let coordinator: Account;

beforeAll(async () => {
	({ meeting: { id: meetingId }, coordinator } = await meetingWithCoordinator(shared.srv.app, 'Verkostotapaaminen: Åsa Sjöström'));
});

/** A raw websocket to the meeting's document with these headers: the close code, or `open` once the server greets it. */
function yjsWith(headers: Record<string, string>): Promise<number | 'open'> {
	const ws = new WebSocket(`${shared.srv.yjsUrl}/${meetingId}`, { headers });
	return new Promise((resolve) => {
		ws.on('error', () => {});
		ws.once('message', () => {
			resolve('open');
			ws.close();
		});
		ws.once('close', (code) => resolve(code));
	});
}

/** A socket.io handshake with these headers: `connected`, or the error it was refused with. */
function socketWith(headers: Record<string, string>, transport: 'websocket' | 'polling'): Promise<'connected' | 'refused'> {
	const socket: RealtimeSocket = io(shared.srv.url, { path: '/socket.io', reconnection: false, transports: [transport], extraHeaders: headers });
	sockets.push(socket);
	return new Promise((resolve) => {
		socket.once('connect', () => resolve('connected'));
		socket.once('connect_error', () => resolve('refused'));
	});
}

describe('/yjs', () => {
	it.each(foreign)('refuses a browser on %s with 4403, even with a valid session', async (origin) => {
		expect(await yjsWith({ cookie: coordinator.cookie, origin })).toBe(CloseCode.Forbidden);
	});

	it('admits the app’s own origin and the allow-listed one', async () => {
		expect(await yjsWith({ cookie: coordinator.cookie, origin: own })).toBe('open');
		expect(await yjsWith({ cookie: coordinator.cookie, origin: allowListed })).toBe('open');
	});

	it('admits a client without Origin that has a session (a stock provider reads and writes), and still refuses one without a session', async () => {
		const admission = await admit(clients, meetingId, coordinator.cookie);
		expect(admission.synced).toBe(true);
		expect(await yjsWith({})).toBe(CloseCode.Unauthenticated);
	});
});

describe('socket.io', () => {
	it.each(foreign.flatMap((origin) => (['websocket', 'polling'] as const).map((transport) => [origin, transport] as const)))(
		'refuses the handshake from %s (%s), even with a valid session',
		async (origin, transport) => {
			expect(await socketWith({ cookie: coordinator.cookie, origin }, transport)).toBe('refused');
		}
	);

	it('answers a refused polling handshake 403 with a JSON reason, and keeps no connection', async () => {
		const before = shared.srv.app.io.engine.clientsCount;
		const response = await fetch(`${shared.srv.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'https://muu.example.fi', cookie: coordinator.cookie } });
		expect(response.status).toBe(403);
		expect(await response.json()).toEqual({ code: 4, message: 'forbidden origin' });
		const anonymous = await fetch(`${shared.srv.url}/socket.io/?EIO=4&transport=polling`);
		expect(anonymous.status).toBe(403);
		expect(await anonymous.json()).toEqual({ code: 4, message: 'unauthenticated' });
		expect(shared.srv.app.io.engine.clientsCount).toBe(before);
	});

	it('refuses 300 anonymous handshakes: none of them stays open', async () => {
		const before = shared.srv.app.io.engine.clientsCount;
		const outcomes = await Promise.all(Array.from({ length: 300 }, (_, i) => socketWith({}, i % 2 ? 'websocket' : 'polling')));
		expect(outcomes.every((outcome) => outcome === 'refused')).toBe(true);
		expect(shared.srv.app.io.engine.clientsCount).toBe(before);
		expect(shared.srv.app.io.sockets.sockets.size).toBe(0);
	});

	it('admits its own origin, the allow-listed one and a client without Origin that has a session; joining works', async () => {
		const professional = await account(shared.srv.app, 'professional', 'Björn Ålander');
		for (const headers of [{ origin: own }, { origin: allowListed }, {}] as Array<Record<string, string>>) {
			expect(await socketWith({ cookie: coordinator.cookie, ...headers }, 'websocket')).toBe('connected');
			expect(await socketWith({ cookie: coordinator.cookie, ...headers }, 'polling')).toBe('connected');
		}
		const socket = sockets.at(-1)!;
		expect(await socket.emitWithAck('meeting:join', { meetingId })).toMatchObject({ ok: true });
		// A signed-in account that is no participant gets in at the handshake and is refused the meeting.
		expect(await socketWith({ cookie: professional.cookie }, 'websocket')).toBe('connected');
		expect(await sockets.at(-1)!.emitWithAck('meeting:join', { meetingId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
	});
});

const routesDir = fileURLToPath(new URL('../../src/routes', import.meta.url));
const stateChanging = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;

function routeFiles(dir: string, name: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return routeFiles(full, name);
		return entry.name === name ? [full] : [];
	});
}

/** The URL path of a route file, with a sample value for each parameter and route groups left out. */
function urlOf(file: string): string {
	const segments = path
		.relative(routesDir, path.dirname(file))
		.split(path.sep)
		.filter((segment) => segment !== '' && !/^\(.*\)$/.test(segment))
		.map((segment) => segment.replace(/\[[^\]]+\]/g, 'eiOle123'));
	return `/${segments.join('/')}`;
}

/** Every state-changing request the app's routes answer: handler methods and form actions. */
async function stateChangingRoutes(): Promise<Array<{ method: string; url: string }>> {
	const routes: Array<{ method: string; url: string }> = [];
	for (const file of routeFiles(routesDir, '+server.ts')) {
		const module = (await import(file)) as Record<string, unknown>;
		for (const method of stateChanging) if (typeof module[method] === 'function') routes.push({ method, url: urlOf(file) });
	}
	for (const file of routeFiles(routesDir, '+page.server.ts')) {
		const module = (await import(file)) as { actions?: Record<string, unknown> };
		for (const action of Object.keys(module.actions ?? {})) {
			routes.push({ method: 'POST', url: action === 'default' ? urlOf(file) : `${urlOf(file)}?/${action}` });
		}
	}
	return routes;
}

describe('state-changing HTTP requests', () => {
	let routes: Array<{ method: string; url: string }>;
	beforeAll(async () => {
		routes = await stateChangingRoutes();
	}, 60_000);

	it('the enumeration finds the routes it must (so it cannot silently find none)', () => {
		expect(routes).toContainEqual({ method: 'POST', url: '/api/meetings/eiOle123/close' });
		expect(routes).toContainEqual({ method: 'DELETE', url: '/api/meetings/eiOle123/participants/eiOle123' });
		expect(routes).toContainEqual({ method: 'POST', url: '/logout' });
		expect(routes).toContainEqual({ method: 'POST', url: '/login' });
		expect(routes.length).toBeGreaterThan(20);
	});

	it('every one refuses a foreign Origin with 403 and a JSON error, whatever the content type', async () => {
		const bodies: Array<{ type?: string; body?: string }> = [
			{},
			{ type: 'application/json', body: '{}' },
			{ type: 'application/x-www-form-urlencoded', body: 'name=%C3%85sa' },
			{ type: 'text/plain', body: 'x' }
		];
		for (const { method, url } of routes) {
			for (const origin of foreign) {
				for (const { type, body } of bodies) {
					const response = await fetch(`${shared.srv.url}${url}`, {
						method,
						headers: { origin, cookie: coordinator.cookie, ...(type ? { 'content-type': type } : {}) },
						body
					});
					expect(response.status, `${method} ${url} from ${origin} (${type ?? 'no body'})`).toBe(403);
					expect(await response.json()).toEqual({ error: { code: 'forbidden_origin', message: expect.stringContaining('origin') } });
				}
			}
		}
	});

	it('a cross-origin POST with no body and no content type does not close the meeting', async () => {
		const response = await fetch(`${shared.srv.url}/api/meetings/${meetingId}/close`, {
			method: 'POST',
			headers: { origin: 'https://muu.example.fi', cookie: coordinator.cookie }
		});
		expect(response.status).toBe(403);
		expect(shared.srv.app.closing.isClosed(meetingId)).toBe(false);
	});

	it('passes its own origin, the allow-listed one, no Origin at all, and reads (GET) from anywhere on to the app', async () => {
		// The test server serves no pages: a request the origin check let through is answered 404 here.
		for (const headers of [{ origin: own }, { origin: allowListed }, {}] as Array<Record<string, string>>) {
			const response = await fetch(`${shared.srv.url}/api/meetings/${meetingId}/close`, { method: 'POST', headers });
			expect(response.status).toBe(404);
		}
		expect((await fetch(`${shared.srv.url}/healthz`, { headers: { origin: 'https://evil.example' } })).status).toBe(200);
	});
});

describe('without ORIGIN', () => {
	it('the request’s own host is its origin: the same host passes, any other is refused', async () => {
		const local = await startServer();
		try {
			const host = `127.0.0.1:${local.port}`;
			const post = (origin: string) => fetch(`${local.url}/logout`, { method: 'POST', headers: { origin } });
			expect((await post(`http://${host}`)).status).toBe(404);
			expect((await post(`http://localhost:${local.port}`)).status).toBe(403);
			expect((await post('https://evil.example')).status).toBe(403);
			const { coordinator: someone, meeting } = await meetingWithCoordinator(local.app, 'Nätverksmöte: Örjan Sjöberg');
			const ws = (origin: string) =>
				new Promise<number | 'open'>((resolve) => {
					const socket = new WebSocket(`${local.yjsUrl}/${meeting.id}`, { headers: { cookie: someone.cookie, origin } });
					socket.on('error', () => {});
					socket.once('message', () => {
						resolve('open');
						socket.close();
					});
					socket.once('close', (code) => resolve(code));
				});
			expect(await ws(`http://${host}`)).toBe('open');
			expect(await ws('https://evil.example')).toBe(CloseCode.Forbidden);
		} finally {
			await local.close();
			removeDir(local.dataDir);
		}
	});
});
