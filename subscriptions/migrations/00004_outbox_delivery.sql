-- +goose Up
-- When the current run of failed attempts of a queued message began (unix seconds), 0 while
-- it has not failed: a message failing for 24 hours is given up.
ALTER TABLE outbox ADD COLUMN failing_since INTEGER NOT NULL DEFAULT 0;
-- The sender takes queued messages chat by chat.
CREATE INDEX outbox_chat_due ON outbox (chat_id, due_at, id);

-- +goose Down
DROP INDEX outbox_chat_due;
ALTER TABLE outbox DROP COLUMN failing_since;
