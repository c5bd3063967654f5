-- +goose Up
-- The outbox also carries notices: a text queued whole for a chat outside any digest (an
-- operator's /broadcast). SQLite cannot change a CHECK constraint, so the table is rebuilt
-- with its rows, ids and indexes.
CREATE TABLE outbox_rebuilt (
    id               INTEGER PRIMARY KEY,
    chat_id          INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE ON UPDATE CASCADE,
    thread_id        INTEGER NOT NULL DEFAULT 0,
    kind             TEXT    NOT NULL CHECK (kind IN ('alert', 'digest', 'notice')),
    entry_id         INTEGER REFERENCES entries (id) ON DELETE CASCADE,
    labels           TEXT    NOT NULL DEFAULT '',
    text             TEXT    NOT NULL DEFAULT '',
    due_at           INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT    NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL,
    failing_since    INTEGER NOT NULL DEFAULT 0,
    subscription_ids TEXT,
    terms            TEXT,
    UNIQUE (chat_id, thread_id, entry_id)
);
INSERT INTO outbox_rebuilt (id, chat_id, thread_id, kind, entry_id, labels, text, due_at, attempts,
    last_error, created_at, failing_since, subscription_ids, terms)
SELECT id, chat_id, thread_id, kind, entry_id, labels, text, due_at, attempts,
    last_error, created_at, failing_since, subscription_ids, terms FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_rebuilt RENAME TO outbox;
-- The copied rows kept their ids: PostgreSQL's identity goes on after the highest.
-- postgres: SELECT setval(pg_get_serial_sequence('outbox', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM outbox;
CREATE INDEX outbox_due ON outbox (due_at);
CREATE INDEX outbox_chat_due ON outbox (chat_id, due_at, id);

-- +goose Down
DELETE FROM outbox WHERE kind = 'notice';
CREATE TABLE outbox_rebuilt (
    id               INTEGER PRIMARY KEY,
    chat_id          INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE ON UPDATE CASCADE,
    thread_id        INTEGER NOT NULL DEFAULT 0,
    kind             TEXT    NOT NULL CHECK (kind IN ('alert', 'digest')),
    entry_id         INTEGER REFERENCES entries (id) ON DELETE CASCADE,
    labels           TEXT    NOT NULL DEFAULT '',
    text             TEXT    NOT NULL DEFAULT '',
    due_at           INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT    NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL,
    failing_since    INTEGER NOT NULL DEFAULT 0,
    subscription_ids TEXT,
    terms            TEXT,
    UNIQUE (chat_id, thread_id, entry_id)
);
INSERT INTO outbox_rebuilt SELECT id, chat_id, thread_id, kind, entry_id, labels, text, due_at,
    attempts, last_error, created_at, failing_since, subscription_ids, terms FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_rebuilt RENAME TO outbox;
-- The copied rows kept their ids: PostgreSQL's identity goes on after the highest.
-- postgres: SELECT setval(pg_get_serial_sequence('outbox', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM outbox;
CREATE INDEX outbox_due ON outbox (due_at);
CREATE INDEX outbox_chat_due ON outbox (chat_id, due_at, id);
