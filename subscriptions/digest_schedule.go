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

// lastRun is what a chat's digest runs tell about the days it had: the latest local date a
// run was recorded for ("" for none) and the latest digest time a run was for. It is kept on
// the chat's row (last_digest_date, last_digest_at) as runs are recorded.
type lastRun struct {
	date      string
	scheduled int64
}

// loadLastRun reads the chat's lastRun.
func loadLastRun(ctx context.Context, q rowQuerier, chatID int64) (lastRun, error) {
	var r lastRun
	err := q.QueryRowContext(ctx, `SELECT last_digest_date, last_digest_at FROM chats WHERE id = ?`, chatID).
		Scan(&r.date, &r.scheduled)
	return r, err
}

// covers reports whether the chat already had the digest of the local day, in loc, that t
// falls on. Runs are recorded in time order, so a run for that day or a later one — by the
// date it was recorded for, or by its digest time as loc divides days (a chat that moved to
// another zone sees its earlier runs that way) — means it did: a day is never digested twice,
// nor after a later one.
func (r lastRun) covers(t time.Time, loc *time.Location) bool {
	if r.date == "" {
		return false
	}
	start, _ := localDay(t, loc)
	return r.date >= t.In(loc).Format(time.DateOnly) || r.scheduled >= unix(start)
}

// record notes a run for the digest time t, recorded under date.
func (r lastRun) record(date string, t time.Time) lastRun {
	return lastRun{date: max(r.date, date), scheduled: max(r.scheduled, unix(t))}
}

// nextDigestAt returns the chat's next digest time after after: the next time its clock in
// loc shows hhmm on a local day last does not cover. It is NULL when hhmm is "" (digests
// off).
func nextDigestAt(hhmm string, loc *time.Location, after time.Time, last lastRun) sql.NullInt64 {
	if hhmm == "" {
		return sql.NullInt64{}
	}
	next := NextDigest(after, hhmm, loc)
	for range 3 { // at most one day is ever skipped; the bound only guards the loop
		if !last.covers(next, loc) {
			break
		}
		next = NextDigest(next, hhmm, loc)
	}
	return sql.NullInt64{Int64: unix(next), Valid: true}
}

// dueAt returns the digest time a chat whose stored next digest (stored) has passed is due
// for at now: the latest time its clock showed hhmm, so that after a long downtime the most
// recent missed digest is the one made up.
func dueAt(stored, now time.Time, hhmm string, loc *time.Location) time.Time {
	if hhmm == "" {
		return stored
	}
	if last := lastDigest(now, hhmm, loc); last.After(stored) {
		return last
	}
	return stored
}
