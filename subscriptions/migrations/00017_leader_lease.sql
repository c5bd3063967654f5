-- +goose Up
-- The leader lease of several instances on one database (see subscriptions/lease.go): the one
-- row names who leads (holder, '' when nobody), the term it leads in (epoch, one more on every
-- takeover) and when the lease ends unless renewed (expires_ms, unix milliseconds).
CREATE TABLE leader_lease (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    epoch      BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL
);
INSERT INTO leader_lease (name, holder, epoch, expires_ms) VALUES ('bot', '', 0, 0);

-- +goose Down
DROP TABLE leader_lease;
