-- +goose Up
-- Sources users suggested (/source add): pending until an operator decides (with the
-- user_sources mode "approval"), approved ones watched like configured sources.
CREATE TABLE user_sources (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL, -- unique among pending and approved ones, and vs configured sources
    url          TEXT    NOT NULL, -- the address checked: an http(s) URL
    format       TEXT    NOT NULL, -- the format the check found
    requested_by INTEGER NOT NULL, -- the chat that suggested it
    user_id      INTEGER NOT NULL DEFAULT 0, -- the user who suggested it, 0 for a channel post
    status       TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'removed')),
    created_at   INTEGER NOT NULL,
    decided_by   INTEGER NOT NULL DEFAULT 0, -- the operator, 0 while pending or when added at once
    decided_at   INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX user_sources_live_name ON user_sources (lower(name))
    WHERE status IN ('pending', 'approved');
CREATE UNIQUE INDEX user_sources_live_url ON user_sources (url)
    WHERE status IN ('pending', 'approved');
CREATE INDEX user_sources_requested_by ON user_sources (requested_by, status);

-- +goose Down
DROP TABLE user_sources;
