-- +goose Up
-- Timestamps are integer unix microseconds (UTC). Model documents and entity
-- data are JSON text.

CREATE TABLE models (
    id         TEXT    NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    version    INTEGER NOT NULL,
    doc        TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE model_versions (
    model_id   TEXT    NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    doc        TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (model_id, version)
) WITHOUT ROWID;

-- AUTOINCREMENT: the id of a deleted app is never handed out again.
CREATE TABLE apps (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL UNIQUE,
    model      TEXT    NOT NULL REFERENCES models (name),
    created_at INTEGER NOT NULL
);

CREATE INDEX apps_model ON apps (model);

-- A rowid table: the unique index serves reads by id, and the expression
-- indexes made by EnsureIndexes point at the integer rowid.
CREATE TABLE entities (
    app_id     INTEGER NOT NULL,
    type       TEXT    NOT NULL,
    id         TEXT    NOT NULL,
    data       TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE UNIQUE INDEX entities_id ON entities (app_id, type, id);
CREATE INDEX entities_created ON entities (app_id, type, created_at, id);
CREATE INDEX entities_updated ON entities (app_id, type, updated_at, id);

-- Many-to-many links. The key leads with from_id and the second index with
-- to_id so that both the lookups of one relation and the removal of every
-- link of a deleted entity are index seeks.
CREATE TABLE links (
    app_id  INTEGER NOT NULL,
    rel     TEXT    NOT NULL,
    from_id TEXT    NOT NULL,
    to_id   TEXT    NOT NULL,
    PRIMARY KEY (app_id, from_id, rel, to_id)
) WITHOUT ROWID;

CREATE INDEX links_reverse ON links (app_id, to_id, rel, from_id);

-- +goose Down
DROP TABLE links;
DROP TABLE entities;
DROP TABLE apps;
DROP TABLE model_versions;
DROP TABLE models;
