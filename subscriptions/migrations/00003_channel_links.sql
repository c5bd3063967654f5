-- +goose Up
-- A private chat that manages a channel's subscriptions (/channel @name): while a row exists,
-- the subscription commands sent in user_chat_id act on channel_id.
CREATE TABLE channel_links (
    user_chat_id INTEGER PRIMARY KEY REFERENCES chats (id) ON DELETE CASCADE ON UPDATE CASCADE,
    channel_id   INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE ON UPDATE CASCADE,
    created_at   INTEGER NOT NULL
);

-- +goose Down
DROP TABLE channel_links;
