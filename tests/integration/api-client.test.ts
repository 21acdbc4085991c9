/**
 * The browser's API client and its one error funnel ($lib/api), with real fetch against a real
 * server on port 0: the App with its SQLite file, and the JSON API's own SvelteKit route handlers
 * (src/routes/api/…) called as SvelteKit calls them, with `locals` resolved from the session cookie
 * as hooks.server.ts does. Every failure a page can meet — no server, no answer in time, 401, 403,
 * 404, 400/422 with issues, 409 meeting_closed, 413, 429 with Retry-After, 5xx — becomes an
 * ApiFailure and one localized message.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, ApiFailure } from '../../src/lib/api/client.js';
import { apiFailureText, isAbort } from '../../src/lib/api/failures.js';
import { m } from '../../src/lib/paraglide/messages.js';
import { overwriteGetLocale } from '../../src/lib/paraglide/runtime.js';
import { apiError } from '../../src/lib/server/http.js';
import * as catalogueRoute from '../../src/routes/api/catalogue/+server.js';
import * as closeRoute from '../../src/routes/api/meetings/[id]/close/+server.js';
import * as consentRoute from '../../src/routes/api/meetings/[id]/consent/+server.js';
import * as evaluationRoute from '../../src/routes/api/meetings/[id]/evaluation/+server.js';
import * as phaseRoute from '../../src/routes/api/meetings/[id]/phase/+server.js';
import * as responsibleRoute from '../../src/routes/api/meetings/[id]/responsible/+server.js';
import * as workAbilityRoute from '../../src/routes/api/meetings/[id]/work-ability/+server.js';
import { DomainError } from '../../server/errors.js';
import { addMonths, helsinkiToday } from '../../server/follow-up.js';
import { guest, meetingWithCoordinator } from '../helpers/people.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { closeAsCoordinator, planMeeting } from './plans.js';
import { removeDir } from './support.js';

type Handler = (event: { params: Record<string, string>; request: Request; locals: App.Locals; url: URL }) => Response | Promise<Response>;

/** The API routes this suite calls, by path pattern and method, as SvelteKit's router would find them. */
const routes: Array<{ pattern: RegExp; module: Partial<Record<string, Handler>> }> = [
	{ pattern: /^\/api\/catalogue$/, module: catalogueRoute as never },
	{ pattern: /^\/api\/meetings\/(?<id>[^/]+)\/close$/, module: closeRoute as never },
	{ pattern: /^\/api\/meetings\/(?<id>[^/]+)\/consent$/, module: consentRoute as never },
	{ pattern: /^\/api\/meetings\/(?<id>[^/]+)\/evaluation$/, module: evaluationRoute as never },
	{ pattern: /^\/api\/meetings\/(?<id>[^/]+)\/phase$/, module: phaseRoute as never },
	{ pattern: /^\/api\/meetings\/(?<id>[^/]+)\/responsible$/, module: responsibleRoute as never },
	{ pattern: /^\/api\/meetings\/(?<id>[^/]+)\/work-ability$/, module: workAbilityRoute as never }
];

let srv: TestServer;
let api: http.Server;
let baseUrl: string;
/** Requests a test holds unanswered (the timeout), ended after each test. */
const held: http.ServerResponse[] = [];
const providers: Array<{ destroy(): void }> = [];

/** Node's request as the web Request SvelteKit hands its routes, and the route's Response back. */
async function serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
	const url = new URL(req.url ?? '/', baseUrl);
	// What sits in front of the app in production can fail too: a proxy's page, or no answer at all.
	if (url.pathname === '/proxy-down') {
		res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>502 Bad Gateway</h1>');
		return;
	}
	if (url.pathname === '/hold') {
		held.push(res);
		return;
	}
	// No JSON route limits requests today; the shape of a 429 is apiError's (src/lib/server/http.ts).
	if (url.pathname === '/rate-limited') {
		await send(apiError(new DomainError('rate_limited', 'Too many requests.', { retryAfterSeconds: 600 })), res);
		return;
	}
	const route = routes.find(({ pattern }) => pattern.test(url.pathname));
	const handler = route?.module[req.method ?? 'GET'];
	if (!route || !handler) {
		res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Not Found' }));
		return;
	}
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	const request = new Request(url, {
		method: req.method,
		headers: req.headers as Record<string, string>,
		body: req.method === 'GET' ? undefined : Buffer.concat(chunks)
	});
	const locals = { app: srv.app, principal: await srv.app.principalOf(req.headers.cookie) } as App.Locals;
	try {
		await send(await handler({ params: { ...pattern(route.pattern, url.pathname) }, request, locals, url }), res);
	} catch (error) {
		// What SvelteKit answers for an exception a route did not handle.
		res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Internal Error' }));
		console.error(error);
	}
}

const pattern = (regex: RegExp, path: string) => regex.exec(path)?.groups ?? {};

async function send(response: Response, res: http.ServerResponse): Promise<void> {
	res.writeHead(response.status, Object.fromEntries(response.headers));
	res.end(Buffer.from(await response.arrayBuffer()));
}

beforeAll(async () => {
	srv = await startServer();
	api = http.createServer((req, res) => void serve(req, res));
	await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterEach(() => {
	for (const res of held.splice(0)) res.destroy();
	for (const provider of providers.splice(0)) provider.destroy();
	overwriteGetLocale(() => 'fi');
});
afterAll(async () => {
	api?.closeAllConnections();
	await new Promise((resolve) => api?.close(resolve));
	await srv?.close();
	if (srv) removeDir(srv.dataDir);
});

/** A client with this person's session, as their browser would send it. */
const as = (cookie?: string, options: { timeoutMs?: number } = {}) => new ApiClient({ baseUrl, headers: cookie ? { cookie } : {}, ...options });

/** What a call failed with; fails the test if it succeeded. */
async function failure(call: Promise<unknown>): Promise<ApiFailure> {
	const outcome = await call.then(
		(value) => ({ value }),
		(error: unknown) => ({ error })
	);
	if (!('error' in outcome)) throw new Error(`the call succeeded: ${JSON.stringify(outcome.value)}`);
	expect(outcome.error).toBeInstanceOf(ApiFailure);
	return outcome.error as ApiFailure;
}

describe('the API client: typed calls on the API’s own wire format', () => {
	it('records, and answers with what the server recorded', async () => {
		const { meeting, coordinator } = await meetingWithCoordinator(srv.app);
		expect(await as(coordinator.cookie).recordWorkAbility(meeting.id, { score: 6 })).toEqual({ score: 6 });
		expect(srv.app.decisions(meeting.id).workAbilityScore).toBe(6);
		const client = await guest(srv.app, meeting.id, coordinator, { role: 'client' });
		const consent = await as(client.cookie).recordConsent(meeting.id, { organisations: ['kela', 'health'] });
		expect(consent.organisations.toSorted()).toEqual(['health', 'kela']);
		expect((await as(coordinator.cookie).catalogue()).services.length).toBeGreaterThan(0);
	});
});

describe('the error funnel: any failure becomes one message in the reader’s language', () => {
	it('no session: 401, "sign in again"', async () => {
		const { meeting } = await meetingWithCoordinator(srv.app);
		const refused = await failure(as().recordWorkAbility(meeting.id, { score: 5 }));
		expect([refused.kind, refused.status, refused.code]).toEqual(['http', 401, 'unauthenticated']);
		expect(apiFailureText(refused)).toBe(m.api_error_unauthenticated());
	});

	it('no right to it: 403, "ask the coordinator"', async () => {
		const { meeting, coordinator } = await meetingWithCoordinator(srv.app);
		const client = await guest(srv.app, meeting.id, coordinator, { role: 'client' });
		const refused = await failure(as(client.cookie).setPhase(meeting.id, { phase: 'plan' }));
		expect([refused.status, refused.code]).toEqual([403, 'forbidden']);
		expect(apiFailureText(refused)).toBe(m.api_error_forbidden());
	});

	it('no such meeting: 404', async () => {
		const { coordinator } = await meetingWithCoordinator(srv.app);
		const refused = await failure(as(coordinator.cookie).closeChecklist('ei-tallaista-tapaamista'));
		expect([refused.status, refused.code]).toEqual([404, 'not_found']);
		expect(apiFailureText(refused)).toBe(m.api_error_not_found());
	});

	it('refused fields: 422 with the issues a form can show at each field, and one message otherwise', async () => {
		const { meeting, coordinator } = await meetingWithCoordinator(srv.app);
		const refused = await failure(
			as(coordinator.cookie).nameResponsible(meeting.id, {
				participantId: 'kukaan',
				contact: '040 123 4567',
				followUpDate: addMonths(helsinkiToday(), 1),
				followUpMode: 'visit'
			})
		);
		expect(refused.status).toBe(422);
		expect(refused.issues.map((issue) => issue.path)).toEqual(['participantId']);
		expect(apiFailureText(refused)).toBe(m.api_error_invalid());
		// A body of the wrong shape is a 400 with the schema's issues.
		const invalid = await failure(as(coordinator.cookie).setPhase(meeting.id, { phase: 'ö'.repeat(65) }));
		expect([invalid.status, invalid.code, invalid.issues.map((issue) => issue.path)]).toEqual([400, 'invalid', ['phase']]);
		expect(apiFailureText(invalid)).toBe(m.api_error_invalid());
	});

	it('a closed meeting: 409 meeting_closed says the plan is final, in Swedish for a Swedish reader', async () => {
		const plan = await planMeeting(srv);
		providers.push(plan.provider);
		await closeAsCoordinator(srv, plan);
		const refused = await failure(as(plan.client.cookie).recordConsent(plan.meeting.id, { organisations: [] }));
		expect([refused.status, refused.code, refused.reason]).toEqual([409, 'conflict', 'meeting_closed']);
		expect(apiFailureText(refused)).toBe(m.meeting_closed_refusal());
		overwriteGetLocale(() => 'sv');
		expect(apiFailureText(refused)).toBe(m.meeting_closed_refusal({}, { locale: 'sv' }));
		expect(apiFailureText(refused)).toContain('Mötet är avslutat');
	});

	it('closing with something missing: 409 whose body says what (the panel shows it as the checklist)', async () => {
		const { meeting, coordinator } = await meetingWithCoordinator(srv.app);
		const refused = await failure(as(coordinator.cookie).close(meeting.id, { confirmIncompleteActions: false }));
		expect([refused.status, refused.reason]).toEqual([409, null]);
		expect(refused.body?.missing).toEqual(['responsible_worker', 'goal', 'client_consent']);
		expect(apiFailureText(refused)).toBe(m.api_error_conflict());
	});

	it('a body over the limit: 413, "shorten it"', async () => {
		const { meeting, coordinator } = await meetingWithCoordinator(srv.app);
		const refused = await failure(
			as(coordinator.cookie).nameResponsible(meeting.id, { participantId: 'x', contact: 'Äijälä '.repeat(20_000), followUpDate: '', followUpMode: 'visit' })
		);
		expect([refused.status, refused.code]).toEqual([413, 'too_large']);
		expect(apiFailureText(refused)).toBe(m.api_error_too_large());
	});

	it('too many requests: 429 with Retry-After says when to try again', async () => {
		const refused = await failure(as().request('GET', '/rate-limited'));
		expect([refused.status, refused.retryAfterSeconds]).toEqual([429, 600]);
		overwriteGetLocale(() => 'en');
		expect(apiFailureText(refused)).toMatch(/^Too many attempts\. Try again after .+ \(in about 10 min\)\.$/);
	});

	it('a server failure: a proxy’s 502 page in front of the app, said with its status', async () => {
		const proxy = await failure(as().request('GET', '/proxy-down'));
		expect([proxy.kind, proxy.status, proxy.body]).toEqual(['http', 502, null]);
		expect(apiFailureText(proxy)).toBe(m.api_error_server({ status: '502' }));
	});

	it('no server at all: offline', async () => {
		const gone = http.createServer();
		await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
		const port = (gone.address() as AddressInfo).port;
		await new Promise((resolve) => gone.close(resolve));
		const refused = await failure(new ApiClient({ baseUrl: `http://127.0.0.1:${port}` }).catalogue());
		expect([refused.kind, refused.status]).toEqual(['offline', null]);
		expect(apiFailureText(refused)).toBe(m.api_error_offline());
	});

	it('no answer in time: timeout, "this may not have been saved"', async () => {
		const refused = await failure(as(undefined, { timeoutMs: 300 }).request('GET', '/hold'));
		expect(refused.kind).toBe('timeout');
		expect(apiFailureText(refused)).toBe(m.api_error_timeout());
		expect(apiFailureText(refused)).toContain('Palvelin ei vastannut ajoissa');
	});

	it('the caller’s own abort is no failure to report', async () => {
		const controller = new AbortController();
		const call = as().request('GET', '/hold', { signal: controller.signal });
		controller.abort();
		const error = await call.catch((cause: unknown) => cause);
		expect(error).not.toBeInstanceOf(ApiFailure);
		expect(isAbort(error)).toBe(true);
	});

	it('anything else (a bug) still reads as one message', () => {
		expect(apiFailureText(new TypeError('x is undefined'))).toBe(m.api_error_unexpected());
	});
});
