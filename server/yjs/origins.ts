/**
 * Where a change to a live document came from: the origin of every Y.Doc transaction and every
 * awareness change the server makes. Storage and relay decide by it what to store and whom to send to
 * (docs/architecture.md, "The Yjs endpoint as lifecycle steps"). A closed union, as Hocuspocus types
 * its origins, so a new source has to be named here and every `switch` over `source` is checked.
 */
import type { Peer } from './peer.js';

/** A peer's update or presence: stored (updates), relayed to every other peer. */
export interface ConnectionOrigin {
	readonly source: 'connection';
	readonly peer: Peer;
}

/** Replayed from storage when a document loads: never stored again, never relayed. */
export interface StorageOrigin {
	readonly source: 'storage';
}

/**
 * The server's own change when it loads a document of an older layout (`migrateDocument`): stored
 * like any update; not relayed, because it happens before any peer has synced, so every peer
 * receives it with the document.
 */
export interface MigrationOrigin {
	readonly source: 'migration';
}

export type TransactionOrigin = ConnectionOrigin | StorageOrigin | MigrationOrigin;

export const storageOrigin: StorageOrigin = Object.freeze({ source: 'storage' });
export const migrationOrigin: MigrationOrigin = Object.freeze({ source: 'migration' });

/** One origin object per peer, made once: an edit's path allocates nothing for it. */
const connectionOrigins = new WeakMap<Peer, ConnectionOrigin>();

export function connectionOrigin(peer: Peer): ConnectionOrigin {
	let origin = connectionOrigins.get(peer);
	if (origin === undefined) {
		origin = Object.freeze({ source: 'connection', peer });
		connectionOrigins.set(peer, origin);
	}
	return origin;
}

/** Yjs and y-protocols hand origins back untyped (`any`); this tells ours from theirs. */
export function isTransactionOrigin(origin: unknown): origin is TransactionOrigin {
	if (typeof origin !== 'object' || origin === null || !('source' in origin)) return false;
	switch ((origin as { source: unknown }).source) {
		case 'connection':
		case 'storage':
		case 'migration':
			return true;
		default:
			return false;
	}
}

/** The peer a change came from, if it came from one (not from storage, a migration or Awareness's own timeout). */
export function peerOf(origin: unknown): Peer | undefined {
	return isTransactionOrigin(origin) && origin.source === 'connection' ? origin.peer : undefined;
}
