/**
 * The sign-in form and the language picker send the browser back to a page it names (`?next=`,
 * `back`): issue 20 item 4 found `/login?next=%2F.%2F%2Fevil.example` answering
 * `Location: //evil.example`. Here the real form actions run against a real App (real SQLite file,
 * real accounts and sessions) with a real Request, and every Location they answer must stay on the
 * site. The table of tricky values itself is src/lib/server/navigation.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRedirect, type Cookies } from '@sveltejs/kit';
import { sessionCookieName } from '../../server/auth.js';
import { account, type Account } from '../helpers/people.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { removeDir } from './support.js';
import * as loginPage from '../../src/routes/login/+page.server.js';
import * as languagePage from '../../src/routes/language/+page.server.js';

const origin = 'https://verkosto.example.fi';

/** Raw `next` values as a browser would send them, already percent-encoded in the query. */
const tricky = [
	'%2F.%2F%2Fevil.example',
	'/.//evil.example',
	'//evil.example',
	'/\\evil.example',
	'%2F%2Fevil.example',
	'/%2F%2Fevil.example',
	'/%252F%252Fevil.example',
	'https://evil.example',
	'http:evil.example',
	'%09//evil.example',
	'/%09/evil.example',
	'/%0A/evil.example',
	'%5C%5Cevil.example',
	'/%5Cevil.example',
	'javascript:alert(1)',
	'/..//evil.example',
	''
];

/** SvelteKit's cookie jar as a form action sees it: what the action sets is kept here. */
function cookieJar(): Cookies & { names(): string[] } {
	const jar = new Map<string, string>();
	return {
		get: (name) => jar.get(name),
		getAll: () => [...jar].map(([name, value]) => ({ name, value })),
		set: (name, value) => void jar.set(name, value),
		delete: (name) => void jar.delete(name),
		serialize: (name, value) => `${name}=${value}`,
		names: () => [...jar.keys()]
	};
}

/** Runs a form action or load and returns the Location it redirected to (or fails). */
async function locationOf(run: () => unknown): Promise<string> {
	try {
		await run();
	} catch (thrown) {
		if (isRedirect(thrown)) {
			expect(thrown.status).toBe(303);
			return thrown.location;
		}
		throw thrown;
	}
	throw new Error('no redirect');
}

/** Where a browser goes with that Location: resolved against the page it came from. */
function expectOnSite(location: string) {
	const target = new URL(location, `${origin}/login`);
	expect(target.origin, location).toBe(origin);
	expect(location.startsWith('/') && !location.startsWith('//') && !location.startsWith('/\\'), location).toBe(true);
	expect(decodeURIComponent(target.pathname).startsWith('//'), location).toBe(false);
}

let srv: TestServer;
let coordinator: Account;
const password = 'salasana-Åäö-12345';

beforeAll(async () => {
	srv = await startServer();
	coordinator = await account(srv.app, 'coordinator', 'Åsa Sjöström');
});

afterAll(async () => {
	await srv?.close();
	if (srv) removeDir(srv.dataDir);
});

describe('signing in with a tricky ?next= answers a Location on this site', () => {
	it.each(tricky.map((next, index) => [next, index] as const))('POST /login?next=%s', async (next, index) => {
		const url = new URL(`/login?next=${next}`, origin);
		const request = new Request(url, { method: 'POST', body: new URLSearchParams({ email: coordinator.email, password }) });
		const cookies = cookieJar();
		const action = loginPage.actions.default as (event: never) => Promise<unknown>;
		const location = await locationOf(() =>
			action({
				request,
				url,
				cookies,
				locals: { app: srv.app, principal: { kind: 'anonymous' } },
				// One address per attempt: the per-address limiter is not what is under test.
				getClientAddress: () => `10.0.20.${index + 1}`
			} as never)
		);
		// The sign-in itself succeeded: a session cookie was set.
		expect(cookies.names()).toContain(sessionCookieName);
		expectOnSite(location);
	});

	it('keeps a page of this site, with its query and hash', async () => {
		const url = new URL(`/login?next=${encodeURIComponent('/meetings/abc?x=1#y')}`, origin);
		const request = new Request(url, { method: 'POST', body: new URLSearchParams({ email: coordinator.email, password }) });
		const action = loginPage.actions.default as (event: never) => Promise<unknown>;
		const location = await locationOf(() =>
			action({ request, url, cookies: cookieJar(), locals: { app: srv.app, principal: { kind: 'anonymous' } }, getClientAddress: () => '10.0.21.1' } as never)
		);
		expect(location).toBe('/meetings/abc?x=1#y');
	});

	it('sends an already signed-in person on with the same check', async () => {
		const load = loginPage.load as (event: never) => unknown;
		for (const next of tricky) {
			const url = new URL(`/login?next=${next}`, origin);
			expectOnSite(await locationOf(() => load({ url, locals: { app: srv.app, principal: coordinator.principal } } as never)));
		}
	});
});

describe('choosing a language without JavaScript goes back only to a page of this site', () => {
	it.each(tricky.map((next) => [decodeURIComponent(next)] as const))('back=%j', async (back) => {
		const url = new URL('/language', origin);
		const request = new Request(url, { method: 'POST', body: new URLSearchParams({ locale: 'sv', back }) });
		const action = languagePage.actions.default as (event: never) => Promise<unknown>;
		expectOnSite(await locationOf(() => action({ request, url, cookies: cookieJar(), locals: { app: srv.app, principal: { kind: 'anonymous' } } } as never)));
	});
});
