import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test as base, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from '@playwright/test';

import { expect } from '@playwright/test';
import { runAdmin } from '../helpers/admin';
export { expect };

/** Options each Playwright project sets in `use` (playwright.config.ts). */
export interface E2EOptions {
	/** DATA_DIR of the server this project runs against; the admin CLI writes into the same database. */
	dataDir: string;
}

interface E2EFixtures {
	/** This test's own accounts, meetings and signed-in contexts; the contexts close after the test. */
	world: World;
}


/**
 * The Finnish catalog (the default locale): tests look for what a Finnish user reads, without copying
 * the wording, so a change of copy does not break them. Typed from the file, so a wrong key fails the
 * type check.
 */
export const fi = JSON.parse(
	readFileSync(new URL('../../messages/fi.json', import.meta.url), 'utf8')
) as typeof import('../../messages/fi.json');

/** Every catalog file of one locale, merged as Paraglide merges them (project.inlang/settings.json). */
const catalogFiles = ['', 'room/', 'plan/', 'close/', 'record/', 'statement/', 'abilities/', 'screen/', 'scribe/', 'phone/', 'services/'] as const;
export type Catalog = typeof import('../../messages/fi.json') &
	typeof import('../../messages/room/fi.json') &
	typeof import('../../messages/plan/fi.json') &
	typeof import('../../messages/close/fi.json') &
	typeof import('../../messages/record/fi.json') &
	typeof import('../../messages/statement/fi.json') &
	typeof import('../../messages/abilities/fi.json') &
	typeof import('../../messages/screen/fi.json') &
	typeof import('../../messages/scribe/fi.json') &
	typeof import('../../messages/phone/fi.json') &
	typeof import('../../messages/services/fi.json');
export const locales = ['fi', 'sv', 'en'] as const;
export type Locale = (typeof locales)[number];
export const catalogs = Object.fromEntries(
	locales.map((locale) => [
		locale,
		Object.assign(
			{},
			...catalogFiles.map((dir) => JSON.parse(readFileSync(new URL(`../../messages/${dir}${locale}.json`, import.meta.url), 'utf8')))
		) as Catalog
	])
) as Record<Locale, Catalog>;
/** What a Finnish user reads, every catalog file (room, plan, closing, statement) included. */
export const fiAll = catalogs.fi;

/** A day `days` from today in Helsinki (the meetings' time zone), as YYYY-MM-DD. */
export function helsinkiDay(days: number): string {
	const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki' }).format(new Date());
	const at = new Date(`${today}T00:00:00Z`);
	at.setUTCDate(at.getUTCDate() + days);
	return at.toISOString().slice(0, 10);
}

/** The password every invented account gets (long enough for the server's rule). */
export const password = 'Verkosto-testi-Åäö-2024';

/** Runs `npm run admin` against `dataDir`, with `input` on standard input; resolves to its last line. */
export async function admin(args: string[], dataDir: string, input = ''): Promise<string> {
	const { code, stdout, stderr } = await runAdmin(args, dataDir, input, 'npm');
	const last = stdout.trim().split('\n').at(-1)?.trim();
	if (code === 0 && last) return last;
	throw new Error(`admin ${args.join(' ')} exited ${code}:\n${stderr}`);
}

export interface Account {
	email: string;
	name: string;
	userId: string;
}

export interface Invitation {
	participantId: string;
	inviteUrl: string;
}

export interface ParticipantInput {
	name: string;
	role: string;
	organisation?: string;
	presence?: 'room' | 'remote';
	access?: 'edit' | 'view';
	/** An existing account, added directly: no invitation link (`inviteUrl` is then null). */
	userId?: string;
}

/** Factories that build each test's own people and meetings, so no spec depends on another's data. */
export interface World {
	/** A new account made with the admin command line (never through /setup: see setup.spec.ts). */
	account(name: string, role?: 'coordinator' | 'professional'): Promise<Account>;
	/** A meeting made with the admin command line, `coordinator` its first participant. */
	meeting(title: string, coordinator: Account): Promise<string>;
	/**
	 * A browser context signed in as `account` through the /login form's endpoint (one sign-in
	 * counts against the per-address limit of 20 in 15 minutes: reuse a context's storage state).
	 */
	signedIn(account: Account, options?: BrowserContextOptions): Promise<BrowserContext>;
	/** Adds a participant through the JSON API as the signed-in coordinator of `context`. */
	invite(context: BrowserContext, meetingId: string, person: ParticipantInput): Promise<Invitation>;
	/** A guest joins with their invitation link's form (no page): a new context with the guest session. */
	guest(inviteUrl: string, name: string, consent?: string[], options?: BrowserContextOptions): Promise<BrowserContext>;
	/** A new context with nobody signed in (closed after the test). */
	anonymous(options?: BrowserContextOptions & { language?: Locale }): Promise<BrowserContext>;
	/** A new context with the same cookies as `context` (another device of the same person, or another language). */
	sameSession(context: BrowserContext, options?: BrowserContextOptions & { language?: Locale }): Promise<BrowserContext>;
}

/** Sets the UI language the way the header's picker does: Paraglide's cookie. */
export async function useLanguage(context: BrowserContext, baseURL: string, language: Locale): Promise<void> {
	await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: language, url: baseURL }]);
}

/** A phone-sized context, as a client holding their own phone in the room. */
export const phone: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

export const test = base.extend<E2EFixtures, E2EOptions>({
	dataDir: ['', { option: true, scope: 'worker' }],
	world: async ({ browser, dataDir }, use, testInfo) => {
		const baseURL = testInfo.project.use.baseURL;
		if (!dataDir || !baseURL) throw new Error('This project sets no `use.dataDir` or `use.baseURL` (see playwright.config.ts).');
		const contexts: BrowserContext[] = [];
		const open = async (options: BrowserContextOptions = {}) => {
			const context = await browser.newContext(options);
			contexts.push(context);
			return context;
		};
		// Form posts as a browser without JavaScript makes them: SvelteKit's origin check wants Origin,
		// and `accept: text/html` gets the redirect instead of an enhanced form's JSON.
		const formHeaders = { origin: baseURL, accept: 'text/html' };
		const run = `${testInfo.project.name}.${randomBytes(4).toString('hex')}`;
		const world: World = {
			async account(name, role = 'coordinator') {
				const slug = name.normalize('NFD').replace(/[^a-zA-Z]+/g, '.').toLowerCase();
				const email = `${slug}.${run}@example.fi`;
				const userId = await admin(['user', 'add', '--email', email, '--name', name, '--role', role], dataDir, `${password}\n`);
				return { email, name, userId };
			},
			meeting: (title, coordinator) => admin(['meeting', 'create', '--title', title, '--coordinator', coordinator.email], dataDir),
			async signedIn(account, options) {
				const context = await open(options);
				const response = await context.request.post('/login', {
					form: { email: account.email, password },
					headers: formHeaders,
					maxRedirects: 0
				});
				expect(response.status(), `signing in ${account.email}: ${await response.text()}`).toBe(303);
				return context;
			},
			async invite(context, meetingId, person) {
				const response = await context.request.post(`/api/meetings/${meetingId}/participants`, {
					data: { organisation: '', presence: 'room', access: 'edit', ...person }
				});
				expect(response.status(), await response.text()).toBe(201);
				const { id, inviteUrl } = (await response.json()) as { id: string; inviteUrl: string };
				return { participantId: id, inviteUrl };
			},
			async guest(inviteUrl, name, consent = [], options) {
				const context = await open(options);
				const response = await context.request.post(new URL(inviteUrl).pathname, {
					data: new URLSearchParams([['name', name], ...consent.map((c) => ['consent', c])]).toString(),
					headers: { ...formHeaders, 'content-type': 'application/x-www-form-urlencoded' },
					maxRedirects: 0
				});
				expect(response.status(), `joining as ${name}: ${await response.text()}`).toBe(303);
				return context;
			},
			async anonymous({ language, ...options } = {}) {
				const context = await open(options);
				if (language) await useLanguage(context, baseURL, language);
				return context;
			},
			async sameSession(context, { language, ...options } = {}) {
				const copy = await open({ ...options, storageState: await context.storageState() });
				if (language) await useLanguage(copy, baseURL, language);
				return copy;
			}
		};
		await use(world);
		for (const context of contexts) await context.close();
	}
});

/** The room's connection state: `data-state` is `connected` once the document has synced. */
export function syncStatus(page: Page): Locator {
	return page.locator('[role="status"][data-state]');
}

/** Opens the meeting's room in a new page of `context` and waits until its document has synced. */
export async function openRoom(context: BrowserContext, meetingId: string, timeout = 30_000): Promise<Page> {
	const page = await context.newPage();
	await page.goto(`/meetings/${meetingId}`);
	await expect(syncStatus(page)).toHaveAttribute('data-state', 'connected', { timeout });
	return page;
}

/** The session cookie of `context`, as a `Cookie` header value (for a y-websocket client of the same person). */
export async function sessionCookieOf(context: BrowserContext): Promise<string> {
	const cookie = (await context.storageState()).cookies.find((c) => c.name === 'verkosto_session');
	if (!cookie) throw new Error('no session cookie');
	return `${cookie.name}=${cookie.value}`;
}

/** The shared editor under a heading, found the way assistive technology finds it. */
export function editorUnder(page: Page, heading: string): Locator {
	return page.getByRole('textbox', { name: heading });
}

/**
 * What a reader sees in a CodeMirror editor, line by line, without the name labels that
 * y-codemirror.next draws at other participants' carets (those are widgets inside the text).
 */
export function editorText(editor: Locator): Promise<string> {
	return editor.evaluate((content) =>
		// The client's phone view writes in a plain textarea (PlainCollabText), not CodeMirror.
		content instanceof HTMLTextAreaElement
			? content.value
			: Array.from(content.querySelectorAll('.cm-line'), (line) => {
			const copy = line.cloneNode(true) as Element;
			for (const caret of copy.querySelectorAll('.cm-ySelectionCaret')) caret.remove();
			return copy.textContent ?? '';
		}).join('\n')
	);
}

/** The WCAG 2.1 A and AA rules (issue #7): axe's tags for them. */
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe-core on the page as it is now and expects no violation; a failure lists each rule with
 * its nodes, which is what one needs to fix the page. (`page` must come from `browser.newContext()`.)
 */
export async function expectAccessible(page: Page, state: string): Promise<void> {
	const { default: AxeBuilder } = await import('@axe-core/playwright');
	const analyze = () => new AxeBuilder({ page }).withTags(wcagTags).analyze();
	let results: Awaited<ReturnType<typeof analyze>>;
	try {
		results = await analyze();
	} catch (error) {
		// The dev server reloads the page when a source file changes (or Vite re-optimises a
		// dependency) mid-run; analyse the reloaded page instead. Any other failure is real.
		if (!String(error).includes('Execution context was destroyed')) throw error;
		await page.waitForLoadState();
		results = await analyze();
	}
	const found = results.violations.map(
		(v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.split('\n').join(' ')}`).join('\n')}`
	);
	expect(found, `axe on ${state} (${page.url()})`).toEqual([]);
}

/** True when the page fits its viewport's width: no horizontal scrolling (WCAG 1.4.10 reflow). */
export function fitsWidth(page: Page): Promise<{ scrollWidth: number; clientWidth: number }> {
	return page.evaluate(() => {
		const root = document.scrollingElement ?? document.documentElement;
		return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
	});
}
