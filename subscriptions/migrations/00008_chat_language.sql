-- +goose Up
-- The language the bot writes to the chat in: a code such as en, uk or ru; '' for the
-- configured default language.
ALTER TABLE chats ADD COLUMN language TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE chats DROP COLUMN language;
