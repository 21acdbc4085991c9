/**
 * The scribe for answers (issue #21 item 2). Who recorded the client's answer to "Was I heard?" and
 * the client's side of a goal rating: the client themself, or the coordinator recording with a
 * client who has no device. Null on rows recorded before this column (nobody knows who). The work
 * ability rating has had `recorded_by` since 0004.
 * `goals_written_for`: a goal a scribe created in "write for" mode (server/scribes.ts), one row per
 * goal: who wrote it (`writer_id`) for whom (`target_id`), as the server saw it on the writer's connection.
 */
export const sql = `
ALTER TABLE heard_answers ADD COLUMN recorded_by TEXT;
ALTER TABLE goal_ratings ADD COLUMN recorded_by TEXT;
CREATE TABLE goals_written_for (
	meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
	goal_id TEXT NOT NULL,
	writer_id TEXT NOT NULL,
	target_id TEXT NOT NULL,
	at TEXT NOT NULL,
	PRIMARY KEY (meeting_id, goal_id)
);
`;
