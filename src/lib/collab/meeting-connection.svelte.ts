import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CloseCode, permanentCloseCodes } from '$lib/protocol/close-codes';
import { onComeBack } from './come-back';
import { ConfirmationTracker } from './confirmation';

export type SyncState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'refused';

export interface MeetingConnectionOptions {
	/** Asks the server for its snapshot of the document (the room channel's `snapshot`). */
	serverSnapshot?: () => Promise<Uint8Array | null>;
	/** Local awareness fields (the server replaces `user` with its own record). */
	awareness?: Record<string, unknown>;
	/**
	 * False while the application heartbeat gets no answer from the server (the room channel's
	 * `reachable`): a dead network a websocket has not noticed yet is then said at once.
	 */
	reachable?: () => boolean;
}

/**
 * A browser's live connection to one meeting's document: the Yjs provider, its state, and the count
 * of local changes the server has not yet confirmed storing. Create it in the browser only (it opens
 * a websocket) and call `destroy()` when leaving the page.
 */
export class MeetingConnection {
	readonly doc = new Y.Doc();
	readonly provider: WebsocketProvider;
	#state = $state<SyncState>('connecting');
	#synced = $state(false);
	#refusal = $state<number | null>(null);
	#online = $state(true);
	#pending = $state(0);
	#changes = $state(0);
	#everConnected = false;
	#confirmTimer: ReturnType<typeof setTimeout> | undefined;
	readonly #tracker: ConfirmationTracker;
	readonly #serverSnapshot: (() => Promise<Uint8Array | null>) | undefined;
	readonly #reachable: () => boolean;
	readonly #cleanup: Array<() => void> = [];

	constructor(meetingId: string, options: MeetingConnectionOptions = {}, base: Location = location) {
		const url = `${base.protocol === 'https:' ? 'wss' : 'ws'}://${base.host}/yjs`;
		// disableBc: every byte goes through the server, which authorizes it; no tab-to-tab side channel.
		this.provider = new WebsocketProvider(url, meetingId, this.doc, {
			disableBc: true,
			maxBackoffTime: 5000,
			// Our own list of permanent codes: the stock rule stops at every 44xx, 4429 (rate limited) included.
			shouldReconnect: (event) => !permanentCloseCodes.has(event.code)
		});
		for (const [key, value] of Object.entries(options.awareness ?? {})) {
			this.provider.awareness.setLocalStateField(key, value);
		}
		this.#serverSnapshot = options.serverSnapshot;
		this.#reachable = options.reachable ?? (() => true);
		this.#tracker = new ConfirmationTracker(this.doc, {
			isLocal: (origin) => origin !== this.provider,
			onChange: () => {
				this.#pending = this.#tracker.pending;
				this.#changes = this.#tracker.changes;
				this.#scheduleConfirm();
			}
		});

		this.provider.on('status', ({ status }) => {
			if (status === 'connected') this.#everConnected = true;
			this.#update(status === 'connected');
		});
		this.provider.on('sync', (synced: boolean) => {
			this.#synced = synced;
			if (synced) this.#scheduleConfirm(0);
		});
		this.provider.on('connection-close', (event) => {
			if (event && permanentCloseCodes.has(event.code)) {
				// The provider stopped retrying (shouldReconnect); tell the person what to do.
				this.#refusal = event.code;
				this.#state = 'refused';
			}
		});

		this.#online = navigator.onLine;
		const onOnline = () => {
			this.#online = navigator.onLine;
			this.#update(this.provider.wsconnected);
		};
		// Leaving with changes the server has not confirmed: the browser asks first.
		const beforeUnload = (event: BeforeUnloadEvent) => {
			if (this.#pending > 0) event.preventDefault();
		};
		addEventListener('online', onOnline);
		addEventListener('offline', onOnline);
		addEventListener('beforeunload', beforeUnload);
		// Restarted, the provider also drops an attempt that may hang on the network that was lost.
		const stopListening = onComeBack(() => {
			if (!navigator.onLine || this.provider.wsconnected || this.#state === 'refused') return;
			this.provider.disconnect();
			this.provider.connect();
		});
		this.#cleanup.push(() => {
			stopListening();
			removeEventListener('online', onOnline);
			removeEventListener('offline', onOnline);
			removeEventListener('beforeunload', beforeUnload);
		});
	}

	/**
	 * One truthful state (issue #21, item 6): `offline` as soon as the browser says the network is gone,
	 * `reconnecting` as soon as the heartbeat goes unanswered, even while the websocket has not noticed
	 * yet (it takes up to 30 s to), and `connected` only while the server answers.
	 */
	get state(): SyncState {
		if (this.#state === 'refused') return 'refused';
		if (!this.#online) return 'offline';
		// The network is there but the server does not answer (a dropped Wi-Fi behind a working access
		// point, a restarting server): reconnecting, said at once rather than when the websocket notices.
		if (this.#state === 'connected' && !this.#reachable()) return 'reconnecting';
		return this.#state;
	}

	/** True once the document has been received from the server. */
	get synced(): boolean {
		return this.#synced;
	}

	/** Local changes not yet confirmed as stored by the server. */
	get pending(): number {
		return this.#pending;
	}

	/** How many items (a text, a service, a goal…) the unconfirmed local changes touched. */
	get changes(): number {
		return this.#changes;
	}

	/**
	 * Drops the websocket and dials again: called when the heartbeat went unanswered, since the
	 * provider's own timeout for a silent connection is 30 s.
	 */
	redial(): void {
		if (this.#state === 'refused') return;
		this.provider.disconnect();
		this.provider.connect();
	}

	/** The close code that stopped reconnecting, if any. */
	get refusal(): number | null {
		return this.#refusal;
	}

	get notFound(): boolean {
		return this.#refusal === CloseCode.MeetingNotFound;
	}

	/** The local awareness, for marking which section this participant is editing. */
	setSection(section: string | null): void {
		this.provider.awareness.setLocalStateField('section', section);
	}

	destroy(): void {
		clearTimeout(this.#confirmTimer);
		for (const cleanup of this.#cleanup) cleanup();
		this.#tracker.destroy();
		this.provider.destroy();
		this.doc.destroy();
	}

	#scheduleConfirm(delayMs = 300): void {
		if (!this.#serverSnapshot || this.#tracker.pending === 0) return;
		clearTimeout(this.#confirmTimer);
		this.#confirmTimer = setTimeout(() => {
			// Not connected or not synced yet: look again later, so a pending count never stalls.
			if (!this.provider.wsconnected || !this.provider.synced) {
				this.#scheduleConfirm(1000);
				return;
			}
			this.#tracker.check(this.#serverSnapshot!).then(
				(done) => {
					this.#pending = this.#tracker.pending;
					this.#changes = this.#tracker.changes;
					if (!done) this.#scheduleConfirm(1000);
				},
				() => this.#scheduleConfirm(2000)
			);
		}, delayMs);
	}

	#update(connected: boolean): void {
		if (this.#state === 'refused') return;
		if (connected) this.#state = 'connected';
		else if (!this.#online) this.#state = 'offline';
		else this.#state = this.#everConnected ? 'reconnecting' : 'connecting';
		if (connected) this.#scheduleConfirm(0);
	}
}
