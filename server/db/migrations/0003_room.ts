/** The live room's decisions: agenda phase, raised hands, whose turn (issue #4). */
export const sql = `
ALTER TABLE meetings ADD COLUMN phase TEXT NOT NULL DEFAULT 'introductions';
ALTER TABLE meetings ADD COLUMN speaker_participant_id TEXT;

CREATE TABLE raised_hands (
	meeting_id      TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
	participant_id  TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
	raised_at       TEXT NOT NULL,
	PRIMARY KEY (meeting_id, participant_id)
);
`;
