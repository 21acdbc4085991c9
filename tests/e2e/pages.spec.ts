/**
 * Two properties of every main page (issue #7): no request leaves the app's own origin (fonts, icons
 * and scripts are served by the app; nothing is fetched from a CDN or an analytics host), and the
 * page reflows at 320 CSS pixels without a horizontal scrollbar (WCAG 1.4.10).
 */
import type { BrowserContext, Page } from '@playwright/test';
import { expect, test, type World } from './fixtures';

/** The pages a coordinator, a client and a signed-out visitor open, with how to know each is ready. */
async function mainPages(world: World) {
	const coordinator = await world.account('Aino Mäkelä');
	const meetingId = await world.meeting('Verkostotapaaminen – Sanna H.', coordinator);
	const signedIn = await world.signedIn(coordinator);
	const { inviteUrl } = await world.invite(signedIn, meetingId, { name: 'Sanna Häkkinen', role: 'client' });
	const live = (page: Page) => expect(page.locator('[role="status"][data-state]')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
	return {
		signedIn,
		anonymous: ['/', '/login', '/accessibility', new URL(inviteUrl).pathname],
		coordinator: [
			{ path: '/' },
			{ path: '/meetings/new' },
			{ path: `/meetings/${meetingId}/participants` },
			{ path: `/meetings/${meetingId}`, ready: live },
			{ path: `/meetings/${meetingId}/screen`, ready: live },
			{ path: '/accounts' },
			{ path: `/meetings/${meetingId}/audit` }
		]
	};
}

async function visit(context: BrowserContext, path: string, ready?: (page: Page) => Promise<void>): Promise<Page> {
	const page = await context.newPage();
	const response = await page.goto(path);
	expect(response?.status(), path).toBe(200);
	await ready?.(page);
	await page.waitForLoadState('networkidle');
	return page;
}

test('no page makes a request outside the app’s own origin', async ({ world, baseURL }) => {
	test.setTimeout(120_000);
	const origin = new URL(baseURL!).origin;
	const pages = await mainPages(world);
	const seen: string[] = [];
	const record = (context: BrowserContext) => {
		context.on('request', (request) => seen.push(request.url()));
		context.on('page', (page) => page.on('websocket', (socket) => seen.push(socket.url())));
	};
	const anonymous = await world.anonymous();
	record(anonymous);
	record(pages.signedIn);
	for (const path of pages.anonymous) await visit(anonymous, path);
	for (const { path, ready } of pages.coordinator) await visit(pages.signedIn, path, ready);

	expect(seen.length).toBeGreaterThan(20);
	const outside = seen.filter((url) => {
		const parsed = new URL(url);
		if (parsed.protocol === 'data:' || parsed.protocol === 'blob:') return false;
		const asHttp = parsed.protocol.startsWith('ws') ? url.replace(/^ws/, 'http') : url;
		return new URL(asHttp).origin !== origin;
	});
	expect(outside).toEqual([]);
});

test('every main page reflows at 320 px: no horizontal scrolling', async ({ world }) => {
	test.setTimeout(120_000);
	const pages = await mainPages(world);
	const narrow = { viewport: { width: 320, height: 640 } };
	const anonymous = await world.anonymous(narrow);
	const coordinator = await world.sameSession(pages.signedIn, narrow);
	const check = async (page: Page, path: string) => {
		const width = await page.evaluate(() => {
			const root = document.scrollingElement ?? document.documentElement;
			return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
		});
		expect.soft(width.scrollWidth, `${path} at 320 px`).toBeLessThanOrEqual(width.clientWidth);
		await page.close();
	};
	for (const path of pages.anonymous) await check(await visit(anonymous, path), path);
	for (const { path, ready } of pages.coordinator) await check(await visit(coordinator, path, ready), path);
});
