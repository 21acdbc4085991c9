/**
 * A live connection to a document, as the document sees it. The document sends to it and closes it;
 * the transport (the websocket connection, tests) decides how.
 */
export interface Peer {
	readonly id: string;
	/** Awareness client ids this peer owns (presence-ownership.ts), so they can be removed when it leaves. */
	readonly awarenessClients: Set<number>;
	/** The participant on the other end, as the server knows it (a network connection always has one). */
	readonly identity?: { readonly participantId: string };
	send(message: Uint8Array): void;
	close(code: number, reason: string): void;
}
