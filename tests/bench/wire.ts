/**
 * The two wire protocols the servers under test speak, for the benchmark's own light clients:
 *
 * - `y-websocket` (Verkosto, @y/websocket-server): one document per websocket, named by the URL path;
 *   each frame is `[type][payload]` (type 0 sync, 1 awareness, 3 query awareness).
 * - `hocuspocus` (@hocuspocus/server 3): any path; each frame starts with the document name
 *   (`[varString name][type][payload]`), so one socket can carry several documents. The client opens a
 *   document with an authentication frame (`[name][2 auth][0 token][varString token]`), which the server
 *   answers (`[name][2][2 authenticated][scope]`) before it handles anything else for that document
 *   (what arrives earlier is queued). It answers sync step 1 as sync (type 0) plus its own step 1 as
 *   "sync reply" (type 4), and acknowledges every update with a sync status frame (type 8).
 *   See node_modules/@hocuspocus/server/src/ClientConnection.ts and MessageReceiver.ts.
 *
 * Both carry the same y-protocols sync and awareness payloads, so a client that frames them right sees
 * the same traffic from either, and latency is measured by the same code for every server.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export type WireProtocol = 'y-websocket' | 'hocuspocus';

export const messageSync = 0;
export const messageAwareness = 1;
/** Hocuspocus only. */
export const messageAuth = 2;
export const messageQueryAwareness = 3;
/** Hocuspocus only: sync, without asking for another step 1. */
export const messageSyncReply = 4;
/** Hocuspocus only: the server tells that it closes the document. */
export const messageClose = 7;
/** Hocuspocus only: the server acknowledges an update. */
export const messageSyncStatus = 8;

export const syncStep1 = 0;
export const syncStep2 = 1;
export const syncUpdate = 2;

const authToken = 0;
const authPermissionDenied = 1;

export class Wire {
	readonly protocol: WireProtocol;
	readonly room: string;
	/** The websocket URL to open. */
	readonly url: string;

	constructor(protocol: WireProtocol, base: string, room: string) {
		this.protocol = protocol;
		this.room = room;
		// Hocuspocus names the document in every frame; the path is the server's base URL alone, as
		// HocuspocusProvider({ url, name }) connects.
		this.url = protocol === 'hocuspocus' ? base : `${base}/${room}`;
	}

	/** A frame of this protocol: the document name first for Hocuspocus, then what `write` encodes. */
	frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
		const encoder = encoding.createEncoder();
		if (this.protocol === 'hocuspocus') encoding.writeVarString(encoder, this.room);
		write(encoder);
		return encoding.toUint8Array(encoder);
	}

	/** What a client sends as soon as the socket is open, before sync step 1 (Hocuspocus: an empty token). */
	hello(): Uint8Array[] {
		if (this.protocol !== 'hocuspocus') return [];
		return [
			this.frame((e) => {
				encoding.writeVarUint(e, messageAuth);
				encoding.writeVarUint(e, authToken);
				encoding.writeVarString(e, '');
			})
		];
	}

	sync(kind: typeof syncStep1 | typeof syncStep2 | typeof syncUpdate, payload: Uint8Array): Uint8Array {
		return this.frame((e) => {
			encoding.writeVarUint(e, messageSync);
			encoding.writeVarUint(e, kind);
			encoding.writeVarUint8Array(e, payload);
		});
	}

	awareness(update: Uint8Array): Uint8Array {
		return this.frame((e) => {
			encoding.writeVarUint(e, messageAwareness);
			encoding.writeVarUint8Array(e, update);
		});
	}

	/**
	 * Reads a frame's header. `type` is the y-websocket message type (Hocuspocus's sync reply reads as
	 * sync); `problem` names a refusal the client should report (Hocuspocus's permission denied or close).
	 * Undefined for a frame about another document.
	 */
	open(data: Uint8Array): { type: number; decoder: decoding.Decoder; problem?: string } | undefined {
		const decoder = decoding.createDecoder(data);
		if (this.protocol === 'hocuspocus' && decoding.readVarString(decoder) !== this.room) return undefined;
		let type = decoding.readVarUint(decoder);
		if (this.protocol === 'hocuspocus') {
			if (type === messageSyncReply) type = messageSync;
			else if (type === messageAuth && decoding.readVarUint(decoder) === authPermissionDenied) {
				return { type, decoder, problem: `permission denied: ${decoding.readVarString(decoder)}` };
			} else if (type === messageClose) return { type, decoder, problem: `closed by the server: ${decoding.readVarString(decoder)}` };
		}
		return { type, decoder };
	}
}
