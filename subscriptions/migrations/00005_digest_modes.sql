-- +goose Up
-- Per-chat and per-subscription delivery settings (issue 6): how a subscription is delivered,
-- mutes, quiet hours, and the instant each digest run was scheduled for.

-- instant: alerts only; digest: the daily digest only; both: alerts and the digest.
ALTER TABLE subscriptions ADD COLUMN mode TEXT NOT NULL DEFAULT 'both' CHECK (mode IN ('instant', 'digest', 'both'));
-- Unix seconds until which the subscription is silent (no alerts, left out of digests); 0 = not muted.
ALTER TABLE subscriptions ADD COLUMN muted_until INTEGER NOT NULL DEFAULT 0;
-- Unix seconds until which the chat gets no instant alerts; 0 = not muted.
ALTER TABLE chats ADD COLUMN muted_until INTEGER NOT NULL DEFAULT 0;
-- 'HH:MM' local: instant alerts in [quiet_start, quiet_end) are held until quiet_end; '' = none.
ALTER TABLE chats ADD COLUMN quiet_start TEXT NOT NULL DEFAULT '';
ALTER TABLE chats ADD COLUMN quiet_end TEXT NOT NULL DEFAULT '';
-- The digest time the run was for (unix seconds); with local_date it keeps a chat that changes
-- its zone from getting two digests in one local day.
ALTER TABLE digest_runs ADD COLUMN scheduled_at INTEGER NOT NULL DEFAULT 0;
-- The latest of the chat's digest runs, kept on the chat so that the digest tick need not
-- read digest_runs: the latest local date one was for, and the latest digest time.
ALTER TABLE chats ADD COLUMN last_digest_date TEXT NOT NULL DEFAULT '';
ALTER TABLE chats ADD COLUMN last_digest_at INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE chats DROP COLUMN last_digest_at;
ALTER TABLE chats DROP COLUMN last_digest_date;
ALTER TABLE digest_runs DROP COLUMN scheduled_at;
ALTER TABLE chats DROP COLUMN quiet_end;
ALTER TABLE chats DROP COLUMN quiet_start;
ALTER TABLE chats DROP COLUMN muted_until;
ALTER TABLE subscriptions DROP COLUMN muted_until;
ALTER TABLE subscriptions DROP COLUMN mode;
