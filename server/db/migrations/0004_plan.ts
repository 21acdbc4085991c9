/** The service catalogue, the responsible worker and follow-up, the work ability score (issue #5). */
export const sql = `
CREATE TABLE service_catalogue (
	id              TEXT PRIMARY KEY,
	sector          TEXT NOT NULL,
	name_fi         TEXT NOT NULL,
	name_sv         TEXT NOT NULL DEFAULT '',
	provider        TEXT NOT NULL DEFAULT '',
	contact         TEXT NOT NULL DEFAULT '',
	description_fi  TEXT NOT NULL DEFAULT '',
	description_sv  TEXT NOT NULL DEFAULT '',
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL
);

ALTER TABLE meetings ADD COLUMN responsible_participant_id TEXT;
ALTER TABLE meetings ADD COLUMN responsible_contact TEXT;
ALTER TABLE meetings ADD COLUMN follow_up_date TEXT;
ALTER TABLE meetings ADD COLUMN follow_up_mode TEXT;
ALTER TABLE meetings ADD COLUMN responsible_decided_at TEXT;

-- One-time facts about this installation, e.g. that the default catalogue was filled in.
CREATE TABLE app_flags (
	name    TEXT PRIMARY KEY,
	set_at  TEXT NOT NULL
);

-- The client's own rating of their work ability, 0–10; the first one of a service path is the baseline.
CREATE TABLE work_ability_scores (
	meeting_id   TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
	score        INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
	recorded_at  TEXT NOT NULL,
	recorded_by  TEXT NOT NULL,
	PRIMARY KEY (meeting_id)
);
`;
