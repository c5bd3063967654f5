-- +goose Up
-- What made a queued alert, recorded when it is queued so that sending it looks nothing up:
-- subscription_ids is a JSON array of subscription ids parallel to labels (ids[i] is the
-- subscription shown as the i-th label), terms a JSON array of the entry's normalised terms
-- that made them match, sorted, for highlighting. Both are NULL for digests and for alerts
-- queued before this migration, whose sender works them out from labels.
ALTER TABLE outbox ADD COLUMN subscription_ids TEXT;
ALTER TABLE outbox ADD COLUMN terms TEXT;

-- +goose Down
ALTER TABLE outbox DROP COLUMN terms;
ALTER TABLE outbox DROP COLUMN subscription_ids;
