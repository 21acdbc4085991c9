/**
 * Which browser origins may use the app (issue 20, item 3): a page on a sibling origin of the same
 * site read a client's words over `/yjs` with the victim's cookie (SameSite=Lax lets it through:
 * same site), socket.io accepted any Origin, and a cross-origin POST with no body and no content
 * type reached `…/close` (SvelteKit's own check covers form content types only).
 *
 * The rule, for the `/yjs` upgrade, the socket.io handshake and every state-changing HTTP request:
 * - no `Origin` header: not a browser's cross-origin request (browsers send one on every websocket
 *   and every non-GET request); native and server clients still need a valid session;
 * - `Origin` equal to `ORIGIN` (or, without it, to the request's own `Host`, which is the origin
 *   SvelteKit derives then) or listed in `ALLOWED_ORIGINS`: allowed;
 * - anything else, `Origin: null` included: refused.
 */
export class OriginPolicy {
	readonly #own: string | null;
	readonly #allowed: ReadonlySet<string>;

	constructor(options: { origin: string | null; allowedOrigins: readonly string[] }) {
		this.#own = options.origin;
		this.#allowed = new Set([...(options.origin ? [options.origin] : []), ...options.allowedOrigins]);
	}

	/** Whether a request with this `Origin` header (and this `Host`) may go on. */
	allows(origin: string | string[] | undefined, host: string | undefined): boolean {
		if (origin === undefined) return true;
		if (Array.isArray(origin)) return false;
		let url: URL;
		try {
			url = new URL(origin);
		} catch {
			return false;
		}
		if (url.origin === 'null' || (url.protocol !== 'http:' && url.protocol !== 'https:')) return false;
		if (this.#allowed.has(url.origin)) return true;
		// Without ORIGIN the server does not know its public scheme (main.ts tells SvelteKit `http`);
		// the host (with port) is what a foreign page cannot share with us.
		return this.#own === null && host !== undefined && url.host === host.toLowerCase();
	}
}

/** Methods that change state: each is checked, whatever its content type. */
export const isStateChanging = (method: string | undefined) =>
	method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE';

/** The JSON error of a refused origin (docs/api.md). */
export const foreignOriginError = {
	error: { code: 'forbidden_origin', message: 'Requests from this origin are not accepted. Use the app at its own address.' }
} as const;
