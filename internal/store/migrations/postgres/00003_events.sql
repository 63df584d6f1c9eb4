-- +goose Up
-- Durable change events (model changes), numbered per topic. Writers insert
-- them in the transaction of the change they describe; readers replay them
-- to clients resuming after a sequence number, on any instance.

CREATE TABLE events (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic    text COLLATE "C" NOT NULL,
    seq      bigint           NOT NULL,
    kind     text COLLATE "C" NOT NULL,
    actor_id text COLLATE "C" NOT NULL DEFAULT '',
    actor    text COLLATE "C" NOT NULL DEFAULT '',
    at       timestamptz      NOT NULL,
    data     jsonb            NOT NULL,
    UNIQUE (topic, seq)
);

CREATE INDEX events_at ON events (at);

-- +goose Down
DROP TABLE events;
