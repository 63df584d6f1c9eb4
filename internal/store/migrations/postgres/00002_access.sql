-- +goose Up
-- Users, their sessions and API tokens, app memberships, the audit log, and
-- the creator of each entity. Session and token secrets are kept only as
-- hashes (bytea). Ids and names use the "C" collation, as in 00001.

CREATE TABLE users (
    id            text COLLATE "C" NOT NULL PRIMARY KEY,
    email         text COLLATE "C" NOT NULL UNIQUE,
    password_hash text             NOT NULL,
    admin         boolean          NOT NULL,
    created_at    timestamptz      NOT NULL
);

CREATE TABLE sessions (
    hash         bytea            NOT NULL PRIMARY KEY,
    user_id      text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz      NOT NULL,
    expires_at   timestamptz      NOT NULL,
    last_seen_at timestamptz      NOT NULL
);

CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE tokens (
    id           text COLLATE "C" NOT NULL PRIMARY KEY,
    user_id      text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text             NOT NULL,
    hash         bytea            NOT NULL UNIQUE,
    created_at   timestamptz      NOT NULL,
    expires_at   timestamptz,
    last_used_at timestamptz
);

CREATE INDEX tokens_user ON tokens (user_id);

CREATE TABLE app_members (
    app_id     bigint           NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    user_id    text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       text COLLATE "C" NOT NULL,
    created_at timestamptz      NOT NULL,
    PRIMARY KEY (app_id, user_id)
);

CREATE INDEX app_members_user ON app_members (user_id);

CREATE TABLE audit_log (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       timestamptz      NOT NULL,
    actor_id text COLLATE "C",
    actor    text COLLATE "C" NOT NULL,
    action   text COLLATE "C" NOT NULL,
    target   text COLLATE "C" NOT NULL DEFAULT '',
    detail   jsonb,
    ip       text COLLATE "C" NOT NULL DEFAULT ''
);

CREATE INDEX audit_log_action ON audit_log (action, id);

-- The ID of the user who created an entity; '' for the system. A constant
-- default rewrites no partition.
ALTER TABLE entities ADD COLUMN created_by text COLLATE "C" NOT NULL DEFAULT '';

CREATE INDEX entities_created_by ON entities (app_id, type, created_by, id);

-- +goose Down
DROP INDEX entities_created_by;
ALTER TABLE entities DROP COLUMN created_by;
DROP TABLE audit_log;
DROP TABLE app_members;
DROP TABLE tokens;
DROP TABLE sessions;
DROP TABLE users;
