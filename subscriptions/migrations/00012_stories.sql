-- +goose Up
-- One alert per story across sources (issue 14).

-- The story fingerprint (match.Story's binary form) of each entry alerted on lately, and the
-- story it belongs to: the id of the story's first entry, its own id for a first one. Rows
-- are kept storyKeep (the digest groups a day's entries by story), fingerprints compared
-- within StoryWindow.
CREATE TABLE entry_stories (
    entry_id   INTEGER PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,
    story_id   INTEGER NOT NULL,
    source     TEXT    NOT NULL,
    shingles   BLOB    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX entry_stories_created ON entry_stories (created_at);
CREATE INDEX entry_stories_story ON entry_stories (story_id);

-- The first alert of a story queued to a chat (forum topic), kept StoryWindow: the message
-- it went out as (message_id 0 until Telegram accepted it), its text (Telegram HTML) and
-- keyboard (JSON) as they stand, to which an "Also" line is added.
CREATE TABLE story_alerts (
    chat_id    INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE ON UPDATE CASCADE,
    thread_id  INTEGER NOT NULL,
    story_id   INTEGER NOT NULL,
    entry_id   INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    message_id INTEGER NOT NULL DEFAULT 0,
    text       TEXT    NOT NULL DEFAULT '',
    keyboard   TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    PRIMARY KEY (chat_id, thread_id, story_id)
);
CREATE INDEX story_alerts_created ON story_alerts (created_at);
CREATE INDEX story_alerts_message ON story_alerts (chat_id, message_id);

-- An alert whose story (entry_stories.story_id) the chat's thread was alerted to already:
-- it goes out as an edit of that alert's message; NULL for every other row.
ALTER TABLE outbox ADD COLUMN also_of INTEGER;

-- +goose Down
ALTER TABLE outbox DROP COLUMN also_of;
DROP TABLE story_alerts;
DROP TABLE entry_stories;
