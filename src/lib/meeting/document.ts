import * as Y from 'yjs';

/**
 * The meeting document's layout, v1 (DESIGN.md, docs/document-model.md). This folder is the only code
 * that names the document's top-level types; everything else goes through these accessors.
 */
export const schemaVersion = 1;

/** The client's situation and wishes, in their own words. */
export const clientVoice = (doc: Y.Doc): Y.Text => doc.getText('clientVoice');

/** `meta.schemaVersion`; absent in a document nobody has written to yet. */
export function readSchemaVersion(doc: Y.Doc): number | undefined {
	const value = doc.getMap('meta').get('schemaVersion');
	return typeof value === 'number' ? value : undefined;
}

/** Marks a document as v1 the first time a client writes to it (idempotent, and concurrent-safe). */
export function ensureSchemaVersion(doc: Y.Doc): void {
	const meta = doc.getMap('meta');
	if (meta.get('schemaVersion') === undefined) meta.set('schemaVersion', schemaVersion);
}
