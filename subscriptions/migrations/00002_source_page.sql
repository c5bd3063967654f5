-- +goose Up
-- The page a source that follows links (an index page or feed naming today's live blog) read
-- last; its validators (etag, last_modified) are those of this page.
ALTER TABLE source_state ADD COLUMN page TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE source_state DROP COLUMN page;
