import type { App as VerkostoApp } from '../server/app';
import type { Principal } from '../server/policy';

declare global {
	namespace App {
		interface Locals {
			/** The process's one composition root (server/app.ts). */
			app: VerkostoApp;
			/** Who is asking: resolved once per request from the session cookie. */
			principal: Principal;
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
