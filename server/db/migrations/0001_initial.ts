/** Meetings and the Yjs update log with its snapshots (realtime core, issue #2). */
export const sql = `
CREATE TABLE meetings (
	id          TEXT PRIMARY KEY,
	title       TEXT NOT NULL,
	created_at  TEXT NOT NULL
);

-- Every accepted Yjs update, appended before it is applied or relayed (docs/storage.md).
CREATE TABLE yjs_updates (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	meeting_id  TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
	data        BLOB NOT NULL
);
CREATE INDEX yjs_updates_by_meeting ON yjs_updates (meeting_id, id);

-- One compacted state per document; the log holds only what came after it.
CREATE TABLE yjs_snapshots (
	meeting_id  TEXT PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
	data        BLOB NOT NULL,
	updated_at  TEXT NOT NULL
);
`;
