/** Accounts, sessions, participants, invitations, consent and the audit trail (issue #3). */
export const sql = `
CREATE TABLE users (
	id             TEXT PRIMARY KEY,
	email          TEXT NOT NULL UNIQUE COLLATE NOCASE,
	name           TEXT NOT NULL,
	role           TEXT NOT NULL CHECK (role IN ('coordinator', 'professional')),
	password_hash  TEXT NOT NULL,
	disabled_at    TEXT,
	created_at     TEXT NOT NULL
);

ALTER TABLE meetings ADD COLUMN scheduled_at TEXT;
ALTER TABLE meetings ADD COLUMN place TEXT;
ALTER TABLE meetings ADD COLUMN remote_link TEXT;
ALTER TABLE meetings ADD COLUMN language TEXT NOT NULL DEFAULT 'fi';
ALTER TABLE meetings ADD COLUMN created_by TEXT REFERENCES users (id);

CREATE TABLE participants (
	id            TEXT PRIMARY KEY,
	meeting_id    TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
	user_id       TEXT REFERENCES users (id),
	name          TEXT NOT NULL,
	role          TEXT NOT NULL,
	organisation  TEXT NOT NULL DEFAULT '',
	presence      TEXT NOT NULL CHECK (presence IN ('room', 'remote')),
	access        TEXT NOT NULL CHECK (access IN ('edit', 'view')),
	revoked_at    TEXT,
	created_at    TEXT NOT NULL,
	UNIQUE (meeting_id, user_id)
);
CREATE INDEX participants_by_meeting ON participants (meeting_id);
CREATE INDEX participants_by_user ON participants (user_id);

-- A session belongs to an account (user_id) or, for a guest who joined by invitation, to exactly one
-- participant of one meeting (participant_id).
CREATE TABLE sessions (
	id              TEXT PRIMARY KEY,
	user_id         TEXT REFERENCES users (id) ON DELETE CASCADE,
	participant_id  TEXT REFERENCES participants (id) ON DELETE CASCADE,
	expires_at      INTEGER NOT NULL,
	created_at      TEXT NOT NULL,
	CHECK ((user_id IS NULL) <> (participant_id IS NULL))
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_participant ON sessions (participant_id);

-- Only the SHA-256 of an invitation token is stored; the token itself exists only in the link.
CREATE TABLE invites (
	id              TEXT PRIMARY KEY,
	participant_id  TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
	token_hash      TEXT NOT NULL UNIQUE,
	expires_at      TEXT NOT NULL,
	revoked_at      TEXT,
	created_at      TEXT NOT NULL
);
CREATE INDEX invites_by_participant ON invites (participant_id);

-- The client's consent to exchange information between organisations (as on Kela's form Y 100).
CREATE TABLE consents (
	id              TEXT PRIMARY KEY,
	meeting_id      TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
	participant_id  TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
	organisations   TEXT NOT NULL,
	given_at        TEXT NOT NULL,
	recorded_by     TEXT NOT NULL
);
CREATE INDEX consents_by_meeting ON consents (meeting_id);

-- Who did what, when. No foreign keys: entries outlive the meeting and the accounts they name.
CREATE TABLE audit_events (
	id                    INTEGER PRIMARY KEY AUTOINCREMENT,
	at                    TEXT NOT NULL,
	action                TEXT NOT NULL,
	meeting_id            TEXT,
	actor_user_id         TEXT,
	actor_participant_id  TEXT,
	actor_name            TEXT,
	session_ref           TEXT,
	detail                TEXT
);
CREATE INDEX audit_events_by_meeting ON audit_events (meeting_id, id);
`;
