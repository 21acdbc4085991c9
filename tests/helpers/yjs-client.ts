import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

/** A stock y-websocket provider in Node, as any integration would connect (ws polyfill). */
export function connectProvider(yjsUrl: string, meetingId: string, doc = new Y.Doc(), options: { connect?: boolean } = {}) {
	const provider = new WebsocketProvider(yjsUrl, meetingId, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
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
