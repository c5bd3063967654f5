package subscriptions

import (
	"context"
	"database/sql"
	"time"
)

// rowQuerier is what both *sql.DB and *sql.Tx offer for one-row reads.
type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// digestedOn reports whether the chat already had a digest for the local day, in loc, that t
// falls on: a run recorded under that date, or one whose digest time lies within that day (a
// chat that moved to another zone sees its earlier runs that way).
func digestedOn(ctx context.Context, q rowQuerier, chatID int64, t time.Time, loc *time.Location) (bool, error) {
	start, end := localDay(t, loc)
	var done bool
	err := q.QueryRowContext(ctx, `
		SELECT EXISTS (SELECT 1 FROM digest_runs WHERE chat_id = ?
			AND (local_date = ? OR (scheduled_at >= ? AND scheduled_at < ?)))`,
		chatID, t.In(loc).Format(time.DateOnly), unix(start), unix(end)).Scan(&done)
	return done, err
}

// nextDigestAt returns the chat's next digest time after after: the next time its clock in
// loc shows hhmm on a local day that has had no digest. It is NULL when hhmm is "" (digests
// off).
func nextDigestAt(ctx context.Context, q rowQuerier, chatID int64, hhmm string, loc *time.Location, after time.Time) (sql.NullInt64, error) {
	if hhmm == "" {
		return sql.NullInt64{}, nil
	}
	next := NextDigest(after, hhmm, loc)
	for range 3 { // at most one day is ever skipped; the bound only guards the loop
		done, err := digestedOn(ctx, q, chatID, next, loc)
		if err != nil {
			return sql.NullInt64{}, err
		}
		if !done {
			break
		}
		next = NextDigest(next, hhmm, loc)
	}
	return sql.NullInt64{Int64: unix(next), Valid: true}, nil
}

// dueAt returns the digest time a chat whose stored next digest (stored) has passed is due
// for at now: the latest time its clock showed hhmm, so that after a long downtime the most
// recent missed digest is the one made up.
func dueAt(stored, now time.Time, hhmm string, loc *time.Location) time.Time {
	if hhmm == "" {
		return stored
	}
	if last := LastDigest(now, hhmm, loc); last.After(stored) {
		return last
	}
	return stored
}
