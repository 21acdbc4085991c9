import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

/** The ws client, sending a session cookie on the upgrade as a browser would. */
function webSocketWithCookie(cookie: string | undefined): typeof globalThis.WebSocket {
	if (!cookie) return WebSocket as unknown as typeof globalThis.WebSocket;
	class CookieWebSocket extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers: { cookie } });
		}
	}
	return CookieWebSocket as unknown as typeof globalThis.WebSocket;
}

/** A stock y-websocket provider in Node, as any integration would connect (ws polyfill). */
export function connectProvider(
	yjsUrl: string,
	meetingId: string,
	doc = new Y.Doc(),
	options: { connect?: boolean; cookie?: string } = {}
) {
	const provider = new WebsocketProvider(yjsUrl, meetingId, doc, {
		WebSocketPolyfill: webSocketWithCookie(options.cookie),
		disableBc: true,
		connect: options.connect ?? true
	});
	return { doc, provider };
}

/** Resolves once the provider has completed its first sync with the server. */
export function synced(provider: WebsocketProvider): Promise<void> {
	if (provider.synced) return Promise.resolve();
	return new Promise((resolve) => {
		const onSync = (isSynced: boolean) => {
			if (!isSynced) return;
			provider.off('sync', onSync);
			resolve();
		};
		provider.on('sync', onSync);
	});
}
