import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode, closeReasons } from '../../src/lib/protocol/close-codes.js';
import type { Logger } from '../log.js';
import type { DocumentRegistry } from './documents.js';
import { YjsConnection, type PeerIdentity } from './connection.js';
import { HeldWrites } from './held-writes.js';
import type { ConnectionLimits } from './limits.js';

export type AuthorizeVerdict = { ok: true; identity: PeerIdentity } | { ok: false; code: CloseCode };

export interface YjsEndpointOptions {
	registry: DocumentRegistry;
	log: Logger;
	maxMessageBytes: number;
	maxBufferedBytes: number;
	heartbeatMs: number;
	/** Upgrades still being authorized at once; more are answered 503 before any work is done. */
	maxPendingUpgrades?: number;
	limits?: ConnectionLimits;
	/**
	 * Lifecycle step "authorize", at the HTTP upgrade: may this request open this meeting's document,
	 * and as whom? Runs before the websocket exists; a refusal opens it only to close it with the code.
	 */
	authorize(meetingId: string, request: IncomingMessage): Promise<AuthorizeVerdict>;
	/** Called once a connection is open; returns the function to call when it closes. */
	onOpen?(connection: YjsConnection): () => void;
	onConnectionCountChange?(count: number): void;
}

/**
 * The Yjs websocket endpoint, as named lifecycle steps: authorize → load (the registry) → handle
 * message (the connection) → store and relay (the live document) → unload (the live document).
 */
export class YjsEndpoint {
	readonly #wss: WebSocketServer;
	readonly #options: YjsEndpointOptions;
	#pendingUpgrades = 0;
	readonly #held = new HeldWrites();

	constructor(options: YjsEndpointOptions) {
		this.#options = options;
		// noServer: the app's upgrade router hands us only the upgrades under /yjs/.
		this.#wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes, perMessageDeflate: false });
	}

	handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, meetingId: string): void {
		if (this.#pendingUpgrades >= (this.#options.maxPendingUpgrades ?? Infinity)) {
			this.#options.log.warn({ pending: this.#pendingUpgrades }, 'refusing an upgrade: too many being authorized');
			socket.end('HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\n\r\n');
			return;
		}
		this.#pendingUpgrades++;
		this.#options
			.authorize(meetingId, request)
			.finally(() => this.#pendingUpgrades--)
			.then(
				(verdict) => {
					if (socket.destroyed) return;
					this.#wss.handleUpgrade(request, socket, head, (ws) => this.#open(ws, socket, meetingId, verdict));
				},
				(error: unknown) => {
					this.#options.log.error({ err: error, meetingId }, 'authorization failed');
					socket.destroy();
				}
			);
	}

	#open(ws: WebSocket, socket: Duplex, meetingId: string, verdict: AuthorizeVerdict): void {
		const id = randomUUID();
		const log = this.#options.log.child({ meetingId, connectionId: id });
		this.#options.onConnectionCountChange?.(this.#wss.clients.size);
		ws.once('close', () => this.#options.onConnectionCountChange?.(this.#wss.clients.size));

		if (!verdict.ok) {
			log.info({ code: verdict.code }, 'connection refused');
			ws.close(verdict.code, closeReasons[verdict.code]);
			return;
		}

		const doc = this.#options.registry.acquire(meetingId);
		const connection = new YjsConnection(ws, doc, {
			id,
			log: log.child({ participantId: verdict.identity.participantId }),
			maxBufferedBytes: this.#options.maxBufferedBytes,
			identity: verdict.identity,
			limits: this.#options.limits,
			writes: this.#held.for(socket)
		});
		doc.attach(connection);
		const unregister = this.#options.onOpen?.(connection);
		ws.once('close', () => unregister?.());
		this.#keepAlive(ws, log);
		ws.on('message', (data, isBinary) => connection.receive(data, isBinary));
		ws.on('error', (error) => {
			// ws closes the socket itself after a protocol error (1009 for an oversized frame, 1002 otherwise).
			log.warn({ err: error }, 'websocket error');
		});
		ws.on('close', (code) => {
			doc.detach(connection);
			log.debug({ code }, 'connection closed');
		});
		log.debug('connection opened');
		connection.start();
	}

	/**
	 * The heartbeat: pings the peer every `heartbeatMs` and drops it if it did not answer the previous
	 * ping. Each connection keeps its own timer, so the pings are spread out: one timer pinging every
	 * socket in one loop was a stall of 11 ms at 800 connections, every 30 s, for every meeting at once
	 * (docs/performance.md). The first beat comes at a random point of the interval's second half:
	 * after a restart every client reconnects at the same moments (the stock provider's backoff has no
	 * jitter), and their timers would otherwise all fire in one callback again.
	 */
	#keepAlive(ws: WebSocket, log: Logger): void {
		const interval = this.#options.heartbeatMs;
		let answered = true;
		const beat = () => {
			if (!answered) {
				log.info('dropping a peer that did not answer the heartbeat');
				ws.terminate();
				return;
			}
			answered = false;
			ws.ping();
		};
		let heartbeat = setTimeout(() => {
			heartbeat = setInterval(beat, interval).unref();
			beat();
		}, interval * (0.5 + Math.random() / 2)).unref();
		ws.on('pong', () => (answered = true));
		// clearTimeout clears an interval too (Node's timers are one kind).
		ws.once('close', () => clearTimeout(heartbeat));
	}

	/**
	 * Closes every connection; each stops its heartbeat as it closes. The registry closes the peers of
	 * each document; stragglers are closed here.
	 */
	close(): void {
		for (const ws of this.#wss.clients) ws.close(CloseCode.GoingAway, closeReasons[CloseCode.GoingAway]);
		this.#wss.close();
	}
}
