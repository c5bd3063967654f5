-- +goose Up
-- bot_state holds more than the bot's facts (the store's own counters too): it is the store's
-- small key-value, named for what it is. Its rows are kept.
ALTER TABLE bot_state RENAME TO key_values;

-- +goose Down
ALTER TABLE key_values RENAME TO bot_state;
