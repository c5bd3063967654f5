-- +goose Up
-- Who may use a private bot beyond its configuration: users or chats an operator allowed or
-- denied (/allow, /deny), and strangers the bot refused once (it refuses each only once).
CREATE TABLE access (
    id         INTEGER PRIMARY KEY, -- a user id, or a chat id
    state      TEXT    NOT NULL CHECK (state IN ('allowed', 'denied', 'refused')),
    changed_by INTEGER NOT NULL DEFAULT 0, -- the operator, 0 for the bot itself
    changed_at INTEGER NOT NULL
);

-- +goose Down
DROP TABLE access;
