-- +goose Up
-- For a source whose posts are numbered (a Telegram channel), the highest post number handed
-- over: a poll that finds the page's oldest post further on catches up on those between.
ALTER TABLE source_state ADD COLUMN last_post INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE source_state DROP COLUMN last_post;
