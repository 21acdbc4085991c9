/**
 * The scribe for answers (issue #21 item 2). Who recorded the client's answer to "Was I heard?" and
 * the client's side of a goal rating: the client themself, or the coordinator recording with a
 * client who has no device. Null on rows recorded before this column (nobody knows who). The work
 * ability rating has had `recorded_by` since 0004.
 */
export const sql = `
ALTER TABLE heard_answers ADD COLUMN recorded_by TEXT;
ALTER TABLE goal_ratings ADD COLUMN recorded_by TEXT;
`;
