import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CloseCode, permanentCloseCodes } from '$lib/protocol/close-codes';

export type SyncState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'refused';

/**
 * A browser's live connection to one meeting's document. Create it in the browser only (it opens a
 * websocket) and call `destroy()` when leaving the page.
 */
export class MeetingConnection {
	readonly doc = new Y.Doc();
	readonly provider: WebsocketProvider;
	#state = $state<SyncState>('connecting');
	#synced = $state(false);
	#refusal = $state<number | null>(null);
	#online = $state(true);
	#everConnected = false;
	readonly #cleanup: Array<() => void> = [];

	constructor(meetingId: string, base: Location = location) {
		const url = `${base.protocol === 'https:' ? 'wss' : 'ws'}://${base.host}/yjs`;
		// disableBc: every byte goes through the server, which authorizes it; no tab-to-tab side channel.
		this.provider = new WebsocketProvider(url, meetingId, this.doc, { disableBc: true, maxBackoffTime: 5000 });

		this.provider.on('status', ({ status }) => {
			if (status === 'connected') this.#everConnected = true;
			this.#update(status === 'connected');
		});
		this.provider.on('sync', (synced: boolean) => (this.#synced = synced));
		this.provider.on('connection-close', (event) => {
			if (event && permanentCloseCodes.has(event.code)) {
				// Retrying cannot help: stop, and tell the person what to do.
				this.#refusal = event.code;
				this.provider.disconnect();
				this.#state = 'refused';
			}
		});

		this.#online = navigator.onLine;
		const onOnline = () => {
			this.#online = navigator.onLine;
			this.#update(this.provider.wsconnected);
		};
		addEventListener('online', onOnline);
		addEventListener('offline', onOnline);
		this.#cleanup.push(() => {
			removeEventListener('online', onOnline);
			removeEventListener('offline', onOnline);
		});
	}

	get state(): SyncState {
		return this.#state;
	}

	/** True once the document has been received from the server. */
	get synced(): boolean {
		return this.#synced;
	}

	/** The close code that stopped reconnecting, if any. */
	get refusal(): number | null {
		return this.#refusal;
	}

	get notFound(): boolean {
		return this.#refusal === CloseCode.MeetingNotFound;
	}

	destroy(): void {
		for (const cleanup of this.#cleanup) cleanup();
		this.provider.destroy();
		this.doc.destroy();
	}

	#update(connected: boolean): void {
		if (this.#state === 'refused') return;
		if (connected) this.#state = 'connected';
		else if (!this.#online) this.#state = 'offline';
		else this.#state = this.#everConnected ? 'reconnecting' : 'connecting';
	}
}
