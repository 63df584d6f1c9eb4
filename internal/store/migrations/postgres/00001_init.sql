-- +goose Up
-- Every identifier and name column uses the "C" collation: byte order, the
-- order SQLite's BINARY collation gives, whatever the database's locale.

CREATE TABLE models (
    id         text COLLATE "C" NOT NULL PRIMARY KEY,
    name       text COLLATE "C" NOT NULL UNIQUE,
    version    bigint           NOT NULL,
    doc        json             NOT NULL,
    created_at timestamptz      NOT NULL,
    updated_at timestamptz      NOT NULL
);

CREATE TABLE model_versions (
    model_id   text COLLATE "C" NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    version    bigint           NOT NULL,
    doc        json             NOT NULL,
    created_at timestamptz      NOT NULL,
    PRIMARY KEY (model_id, version)
);

CREATE TABLE apps (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text COLLATE "C" NOT NULL UNIQUE,
    model      text COLLATE "C" NOT NULL REFERENCES models (name),
    created_at timestamptz      NOT NULL
);

CREATE INDEX apps_model ON apps (model);

CREATE TABLE entities (
    app_id     bigint           NOT NULL,
    type       text COLLATE "C" NOT NULL,
    id         text COLLATE "C" NOT NULL,
    data       jsonb            NOT NULL,
    version    bigint           NOT NULL,
    created_at timestamptz      NOT NULL,
    updated_at timestamptz      NOT NULL,
    PRIMARY KEY (app_id, id)
) PARTITION BY HASH (app_id);

CREATE TABLE entities_p0 PARTITION OF entities FOR VALUES WITH (MODULUS 8, REMAINDER 0);
CREATE TABLE entities_p1 PARTITION OF entities FOR VALUES WITH (MODULUS 8, REMAINDER 1);
CREATE TABLE entities_p2 PARTITION OF entities FOR VALUES WITH (MODULUS 8, REMAINDER 2);
CREATE TABLE entities_p3 PARTITION OF entities FOR VALUES WITH (MODULUS 8, REMAINDER 3);
CREATE TABLE entities_p4 PARTITION OF entities FOR VALUES WITH (MODULUS 8, REMAINDER 4);
CREATE TABLE entities_p5 PARTITION OF entities FOR VALUES WITH (MODULUS 8, REMAINDER 5);
CREATE TABLE entities_p6 PARTITION OF entities FOR VALUES WITH (MODULUS 8, REMAINDER 6);
CREATE TABLE entities_p7 PARTITION OF entities FOR VALUES WITH (MODULUS 8, REMAINDER 7);

CREATE INDEX entities_type_id ON entities (app_id, type, id);
CREATE INDEX entities_created ON entities (app_id, type, created_at, id);
CREATE INDEX entities_updated ON entities (app_id, type, updated_at, id);

CREATE TABLE links (
    app_id  bigint           NOT NULL,
    rel     text COLLATE "C" NOT NULL,
    from_id text COLLATE "C" NOT NULL,
    to_id   text COLLATE "C" NOT NULL,
    PRIMARY KEY (app_id, from_id, rel, to_id)
);

CREATE INDEX links_reverse ON links (app_id, to_id, rel, from_id);

-- +goose Down
DROP TABLE links;
DROP TABLE entities;
DROP TABLE apps;
DROP TABLE model_versions;
DROP TABLE models;
