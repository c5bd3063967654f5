package subscriptions

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// alertPolicy decides, inside an Ingest transaction, what a hit turns into: a subscription
// that is muted gets nothing (no alert, no digest line); one in digest mode gets a digest line
// only; a chat that is muted gets no instant alerts, and one in its quiet hours gets them
// held until the hours end.
type alertPolicy struct {
	now      time.Time
	location func(string) *time.Location
	sub      *sql.Stmt
	chat     *sql.Stmt
}

func newAlertPolicy(ctx context.Context, tx *sql.Tx, now time.Time, location func(string) *time.Location) (*alertPolicy, error) {
	sub, err := tx.PrepareContext(ctx, `SELECT mode, muted_until FROM subscriptions WHERE id = ?`)
	if err != nil {
		return nil, err
	}
	chat, err := tx.PrepareContext(ctx, `SELECT muted_until, quiet_start, quiet_end, time_zone FROM chats WHERE id = ?`)
	if err != nil {
		sub.Close()
		return nil, err
	}
	return &alertPolicy{now: now, location: location, sub: sub, chat: chat}, nil
}

func (p *alertPolicy) close() {
	p.sub.Close()
	p.chat.Close()
}

// subscription reports whether a hit of the subscription is recorded at all (it is not
// muted) and whether it wants an instant alert.
func (p *alertPolicy) subscription(ctx context.Context, id int64) (record, instant bool, err error) {
	var mode string
	var muted int64
	err = p.sub.QueryRowContext(ctx, id).Scan(&mode, &muted)
	if errors.Is(err, sql.ErrNoRows) {
		return false, false, nil // unfollowed since the matcher was built
	}
	if err != nil {
		return false, false, err
	}
	if muted > unix(p.now) {
		return false, false, nil
	}
	return true, mode != ModeDigest, nil
}

// alertDue returns when an instant alert for the chat is due — now, or the end of its quiet
// hours — and false when the chat is muted.
func (p *alertPolicy) alertDue(ctx context.Context, chatID int64) (time.Time, bool, error) {
	var muted int64
	var start, end, zone string
	err := p.chat.QueryRowContext(ctx, chatID).Scan(&muted, &start, &end, &zone)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil // forgotten since the matcher was built
	}
	if err != nil {
		return time.Time{}, false, err
	}
	if muted > unix(p.now) {
		return time.Time{}, false, nil
	}
	if until, quiet := QuietUntil(p.now, start, end, p.location(zone)); quiet {
		return until, true, nil
	}
	return p.now, true, nil
}
