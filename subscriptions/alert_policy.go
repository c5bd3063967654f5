package subscriptions

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"livealert/subscriptions/match"
)

// alertPolicy decides, inside an Ingest transaction, what a hit turns into: a subscription
// that is muted gets nothing (no alert, no digest line); one in digest mode gets a digest line
// only; a chat that is muted gets no instant alerts, and one in its quiet hours gets them
// held until the hours end.
type alertPolicy struct {
	dialect  dialect
	now      time.Time
	location func(string) *time.Location
	sub      *sql.Stmt
	chat     *sql.Stmt

	// What preload read, so that a fan-out to many chats costs two queries, not two a hit.
	subs  map[int64]subPolicy
	chats map[int64]chatPolicy
}

type subPolicy struct {
	found bool // false: unfollowed since the matcher was built
	mode  string
	muted int64
}

type chatPolicy struct {
	found            bool // false: forgotten since the matcher was built
	muted            int64
	start, end, zone string
}

func newAlertPolicy(ctx context.Context, tx *sql.Tx, d dialect, now time.Time, location func(string) *time.Location) (*alertPolicy, error) {
	sub, err := tx.PrepareContext(ctx, `SELECT mode, muted_until FROM subscriptions WHERE id = ?`)
	if err != nil {
		return nil, err
	}
	chat, err := tx.PrepareContext(ctx, `SELECT muted_until, quiet_start, quiet_end, time_zone FROM chats WHERE id = ?`)
	if err != nil {
		sub.Close()
		return nil, err
	}
	return &alertPolicy{dialect: d, now: now, location: location, sub: sub, chat: chat}, nil
}

// preload reads, in two queries, the subscriptions and chats of hits, for subscription and
// alertDue.
func (p *alertPolicy) preload(ctx context.Context, tx *sql.Tx, hits []match.Hit) error {
	subIDs := make([]int64, 0, len(hits))
	chatIDs := make([]int64, 0, len(hits))
	p.subs = make(map[int64]subPolicy, len(hits))
	p.chats = make(map[int64]chatPolicy, len(hits))
	for _, h := range hits {
		if _, ok := p.subs[h.SubscriptionID]; !ok {
			p.subs[h.SubscriptionID] = subPolicy{}
			subIDs = append(subIDs, h.SubscriptionID)
		}
		if _, ok := p.chats[h.ChatID]; !ok {
			p.chats[h.ChatID] = chatPolicy{}
			chatIDs = append(chatIDs, h.ChatID)
		}
	}
	ids, err := json.Marshal(subIDs)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `
		SELECT s.id, s.mode, s.muted_until FROM `+p.dialect.jsonInts("?", "j")+` JOIN subscriptions s ON s.id = j.value`, string(ids))
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		sp := subPolicy{found: true}
		if err := rows.Scan(&id, &sp.mode, &sp.muted); err != nil {
			rows.Close()
			return err
		}
		p.subs[id] = sp
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if ids, err = json.Marshal(chatIDs); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `
		SELECT c.id, c.muted_until, c.quiet_start, c.quiet_end, c.time_zone
		FROM `+p.dialect.jsonInts("?", "j")+` JOIN chats c ON c.id = j.value`, string(ids))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		cp := chatPolicy{found: true}
		if err := rows.Scan(&id, &cp.muted, &cp.start, &cp.end, &cp.zone); err != nil {
			return err
		}
		p.chats[id] = cp
	}
	return rows.Err()
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
	if sp, ok := p.subs[id]; ok {
		if !sp.found {
			return false, false, nil // unfollowed since the matcher was built
		}
		mode, muted = sp.mode, sp.muted
	} else {
		err = p.sub.QueryRowContext(ctx, id).Scan(&mode, &muted)
		if errors.Is(err, sql.ErrNoRows) {
			return false, false, nil // unfollowed since the matcher was built
		}
		if err != nil {
			return false, false, err
		}
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
	if cp, ok := p.chats[chatID]; ok {
		if !cp.found {
			return time.Time{}, false, nil // forgotten since the matcher was built
		}
		muted, start, end, zone = cp.muted, cp.start, cp.end, cp.zone
	} else {
		err := p.chat.QueryRowContext(ctx, chatID).Scan(&muted, &start, &end, &zone)
		if errors.Is(err, sql.ErrNoRows) {
			return time.Time{}, false, nil // forgotten since the matcher was built
		}
		if err != nil {
			return time.Time{}, false, err
		}
	}
	if muted > unix(p.now) {
		return time.Time{}, false, nil
	}
	if until, quiet := quietUntil(p.now, start, end, p.location(zone)); quiet {
		return until, true, nil
	}
	return p.now, true, nil
}
