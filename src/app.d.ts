import type { App as VerkostoApp } from '../server/app';
import type { Principal } from '../server/policy';
import type { AppRequest } from '$lib/server/app';

declare global {
	namespace App {
		interface Locals {
			/** The process's one composition root (server/app.ts). */
			app: VerkostoApp;
			/** Who is asking: resolved once per request from the session cookie. */
			principal: Principal;
		}
		/** How a request reaches the App (src/lib/server/app.ts): one of the two, by who serves it. */
		interface Platform {
			/** In development: given by the dev plugin (server/dev-plugin.ts). */
			app?: VerkostoApp;
			/** In production: adapter-node's Node request, carrying the App server/main.ts put on it. */
			req?: AppRequest;
		}
		interface PageData {
			/** A shared display (the room screen): the root layout renders no header or footer. */
			bare?: boolean;
		}
		interface Error {
			message: string;
			/** Why an invitation link was refused, so the page can say what to do. */
			reason?: 'unknown' | 'expired' | 'revoked' | 'rate_limited';
			/** For rate limits: when to try again (ISO), and about how many minutes that is. */
			retry?: { retryAt: string; minutes: number };
		}
	}
}

export {};
