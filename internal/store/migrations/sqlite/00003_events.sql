-- +goose Up
-- Durable change events (model changes), numbered per topic. Writers insert
-- them in the transaction of the change they describe; readers replay them
-- to clients resuming after a sequence number. AUTOINCREMENT: ids only grow,
-- in commit order (one writer), so other processes' events are found by id.

CREATE TABLE events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    topic    TEXT    NOT NULL,
    seq      INTEGER NOT NULL,
    kind     TEXT    NOT NULL,
    actor_id TEXT    NOT NULL DEFAULT '',
    actor    TEXT    NOT NULL DEFAULT '',
    at       INTEGER NOT NULL,
    data     TEXT    NOT NULL,
    UNIQUE (topic, seq)
);

CREATE INDEX events_at ON events (at);

-- +goose Down
DROP TABLE events;
