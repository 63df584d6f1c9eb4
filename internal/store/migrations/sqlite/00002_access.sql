-- +goose Up
-- Users, their sessions and API tokens, app memberships, the audit log, and
-- the creator of each entity. Timestamps are integer unix microseconds (UTC).
-- Session and token secrets are kept only as hashes (BLOB).

CREATE TABLE users (
    id            TEXT    NOT NULL PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    admin         INTEGER NOT NULL CHECK (admin IN (0, 1)),
    created_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
    hash         BLOB    NOT NULL PRIMARY KEY,
    user_id      TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE tokens (
    id           TEXT    NOT NULL PRIMARY KEY,
    user_id      TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    hash         BLOB    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER,
    last_used_at INTEGER
);

CREATE INDEX tokens_user ON tokens (user_id);

CREATE TABLE app_members (
    app_id     INTEGER NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (app_id, user_id)
) WITHOUT ROWID;

CREATE INDEX app_members_user ON app_members (user_id);

-- AUTOINCREMENT: ids only grow, so they order the log and serve as its
-- keyset cursor.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       INTEGER NOT NULL,
    actor_id TEXT,
    actor    TEXT    NOT NULL,
    action   TEXT    NOT NULL,
    target   TEXT    NOT NULL DEFAULT '',
    detail   TEXT,
    ip       TEXT    NOT NULL DEFAULT ''
);

CREATE INDEX audit_log_action ON audit_log (action, id);

-- The ID of the user who created an entity; '' for the system.
ALTER TABLE entities ADD COLUMN created_by TEXT NOT NULL DEFAULT '';

CREATE INDEX entities_created_by ON entities (app_id, type, created_by, id);

-- +goose Down
DROP INDEX entities_created_by;
ALTER TABLE entities DROP COLUMN created_by;
DROP TABLE audit_log;
DROP TABLE app_members;
DROP TABLE tokens;
DROP TABLE sessions;
DROP TABLE users;
