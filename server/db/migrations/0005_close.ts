/** Closing with a plan version, follow-up meetings and the closing meeting's evaluation (issue #6). */
export const sql = `
ALTER TABLE meetings ADD COLUMN closed_at TEXT;
ALTER TABLE meetings ADD COLUMN closed_by TEXT;
-- A client's service path: the first meeting's id, shared by its follow-up and closing meetings.
ALTER TABLE meetings ADD COLUMN series_id TEXT;
ALTER TABLE meetings ADD COLUMN previous_meeting_id TEXT;
ALTER TABLE meetings ADD COLUMN kind TEXT NOT NULL DEFAULT 'first' CHECK (kind IN ('first', 'follow_up', 'closing'));

-- The immutable plan of a closed meeting: canonical JSON and its SHA-256.
CREATE TABLE plan_versions (
	meeting_id  TEXT PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
	series_id   TEXT NOT NULL,
	version     INTEGER NOT NULL,
	plan        TEXT NOT NULL,
	sha256      TEXT NOT NULL,
	closed_by   TEXT NOT NULL,
	closed_at   TEXT NOT NULL,
	UNIQUE (series_id, version)
);

-- A closing meeting's ratings of each goal, −2…+2, by the client and by the responsible worker.
CREATE TABLE goal_ratings (
	meeting_id   TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
	goal_id      TEXT NOT NULL,
	rater        TEXT NOT NULL CHECK (rater IN ('client', 'worker')),
	rating       INTEGER NOT NULL CHECK (rating BETWEEN -2 AND 2),
	recorded_at  TEXT NOT NULL,
	PRIMARY KEY (meeting_id, goal_id, rater)
);

-- "Was I heard?", the client's answer at a closing meeting.
CREATE TABLE heard_answers (
	meeting_id   TEXT PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
	answer       TEXT NOT NULL CHECK (answer IN ('yes', 'partly', 'no')),
	recorded_at  TEXT NOT NULL
);
`;
