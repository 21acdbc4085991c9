/**
 * The scribe (issue #21 item 2). `participants.scribe`: the coordinator named this participant a
 * scribe, who may then write a perspective on someone else's behalf. `written_for`: who actually wrote
 * in whose perspective, as the server saw it on the writer's own connection (never a field a client
 * writes), one row per writer and person written for; the room and the closed plan show it.
 */
export const sql = `
ALTER TABLE participants ADD COLUMN scribe INTEGER NOT NULL DEFAULT 0;
CREATE TABLE written_for (
	meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
	writer_id TEXT NOT NULL,
	target_id TEXT NOT NULL,
	first_at TEXT NOT NULL,
	last_at TEXT NOT NULL,
	PRIMARY KEY (meeting_id, writer_id, target_id)
);
ALTER TABLE sessions ADD COLUMN invite_id TEXT;
CREATE INDEX sessions_by_invite ON sessions (invite_id) WHERE invite_id IS NOT NULL;
`;
