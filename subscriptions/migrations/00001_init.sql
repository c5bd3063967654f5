-- +goose Up
-- Times are unix seconds, UTC.

-- A chat the bot talks to: a private chat, a group, a supergroup or a channel.
CREATE TABLE chats (
    id             INTEGER PRIMARY KEY,            -- Telegram chat id
    type           TEXT    NOT NULL,
    title          TEXT    NOT NULL DEFAULT '',
    active         INTEGER NOT NULL DEFAULT 1,     -- 0 once Telegram said the bot may not write
    time_zone      TEXT    NOT NULL,               -- IANA name
    digest_time    TEXT    NOT NULL DEFAULT '',    -- 'HH:MM' local, '' when digests are off
    digest_thread  INTEGER NOT NULL DEFAULT 0,     -- forum topic the digest goes to
    next_digest_at INTEGER,                        -- NULL when digests are off
    digest_cursor  INTEGER NOT NULL DEFAULT 0,     -- matches.id the last digest covered up to
    created_at     INTEGER NOT NULL
);
CREATE INDEX chats_next_digest ON chats (next_digest_at) WHERE next_digest_at IS NOT NULL;

-- What a chat follows: a catalog topic (topic) or its own query (query), exactly one of them.
CREATE TABLE subscriptions (
    id         INTEGER PRIMARY KEY,
    chat_id    INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE ON UPDATE CASCADE,
    thread_id  INTEGER NOT NULL DEFAULT 0,
    topic      TEXT    NOT NULL DEFAULT '',
    query      TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    CHECK ((topic = '') <> (query = '')),
    UNIQUE (chat_id, thread_id, topic, query)
);

-- What the watcher remembers of each source.
CREATE TABLE source_state (
    name          TEXT PRIMARY KEY,
    etag          TEXT    NOT NULL DEFAULT '',
    last_modified TEXT    NOT NULL DEFAULT '',
    last_success  INTEGER NOT NULL DEFAULT 0,
    failures      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT    NOT NULL DEFAULT '',
    primed        INTEGER NOT NULL DEFAULT 0       -- 1 once a first poll's entries were recorded
);

-- Every entry seen, once per (source, entry_key).
CREATE TABLE entries (
    id         INTEGER PRIMARY KEY,
    source     TEXT    NOT NULL,
    entry_key  TEXT    NOT NULL,                   -- sources.Entry.ID
    published  INTEGER NOT NULL,
    title      TEXT    NOT NULL,
    body       TEXT    NOT NULL,                   -- paragraphs joined by newlines
    url        TEXT    NOT NULL DEFAULT '',
    pinned     INTEGER NOT NULL DEFAULT 0,
    hash       TEXT    NOT NULL,
    first_seen INTEGER NOT NULL,
    UNIQUE (source, entry_key)
);
CREATE INDEX entries_first_seen ON entries (first_seen);

-- Which subscription of which chat matched which entry: what digests are made of.
CREATE TABLE matches (
    id              INTEGER PRIMARY KEY,
    chat_id         INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE ON UPDATE CASCADE,
    entry_id        INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    label           TEXT    NOT NULL,              -- the topic's name or the query
    UNIQUE (chat_id, entry_id, subscription_id)
);
CREATE INDEX matches_chat ON matches (chat_id, id);

-- Messages waiting to be sent. A row is deleted once Telegram accepted it.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    chat_id    INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE ON UPDATE CASCADE,
    thread_id  INTEGER NOT NULL DEFAULT 0,
    kind       TEXT    NOT NULL CHECK (kind IN ('alert', 'digest')),
    entry_id   INTEGER REFERENCES entries (id) ON DELETE CASCADE,   -- alerts
    labels     TEXT    NOT NULL DEFAULT '',        -- alerts: what matched, newline-separated
    text       TEXT    NOT NULL DEFAULT '',        -- digests: the message as rendered
    due_at     INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    UNIQUE (chat_id, thread_id, entry_id)
);
CREATE INDEX outbox_due ON outbox (due_at);

-- Messages Telegram refused for good, kept for the operator.
CREATE TABLE dead_letters (
    id         INTEGER PRIMARY KEY,
    chat_id    INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    entry_id   INTEGER,
    text       TEXT    NOT NULL DEFAULT '',
    reason     TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

-- One digest per chat per local day.
CREATE TABLE digest_runs (
    chat_id    INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE ON UPDATE CASCADE,
    local_date TEXT    NOT NULL,                   -- YYYY-MM-DD in the chat's zone
    entries    INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (chat_id, local_date)
);

-- Small facts the bot keeps across restarts (the Telegram update offset).
CREATE TABLE bot_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE bot_state;
DROP TABLE digest_runs;
DROP TABLE dead_letters;
DROP TABLE outbox;
DROP TABLE matches;
DROP TABLE entries;
DROP TABLE source_state;
DROP TABLE subscriptions;
DROP TABLE chats;
