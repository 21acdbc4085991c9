import * as Y from 'yjs';

/**
 * Exchanges what each of two replicas lacks, both ways, as a sync through the server does: for
 * unit tests of concurrent edits to the document model, without a server.
 */
export function exchange(a: Y.Doc, b: Y.Doc): void {
	const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
	const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
	Y.applyUpdate(b, toB);
	Y.applyUpdate(a, toA);
}
