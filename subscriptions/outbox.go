package subscriptions

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Delivery kinds.
const (
	KindAlert  = "alert"
	KindDigest = "digest"
)

// Delivery is one queued message: an alert of one entry, or one part of a digest.
type Delivery struct {
	ID       int64
	ChatID   int64
	ChatType string
	ThreadID int
	// TimeZone is the chat's, for showing times.
	TimeZone *time.Location
	// Language is the chat's (see Chat.Language), for the words around the entry.
	Language string
	Kind     string
	// Entry and Labels (what matched) are set for alerts.
	Entry  StoredEntry
	Labels []string
	// SubscriptionIDs, for alerts, is parallel to Labels: the chat's subscription in the
	// thread shown as each label (the oldest, when several are shown alike); 0 for one that
	// could not be told (an alert queued by an older version whose subscription is gone).
	SubscriptionIDs []int64
	// AlsoOf, for an alert, is the story (see stories.go) whose first alert to this chat's
	// thread it is to be added to, as an edit of that message; 0 for an alert of its own.
	AlsoOf int64
	// Terms, for alerts, are the normalised terms of the entry that made it match, sorted:
	// the words to highlight.
	Terms []string
	// Text is set for digests: the message as rendered when it was queued.
	Text     string
	Attempts int
	// FailingSince is when the current run of failed attempts began; zero when none failed.
	FailingSince time.Time
}

// DueDeliveries returns up to limit queued messages that are due, oldest first.
func (s *Store) DueDeliveries(ctx context.Context, limit int) ([]Delivery, error) {
	ds, err := s.deliveries(ctx, `o.due_at <= ? AND c.active = 1`, limit, unix(s.now()))
	if err != nil {
		return nil, fmt.Errorf("subscriptions: due deliveries: %w", err)
	}
	return ds, nil
}

// NextDue returns when the earliest queued message of an active chat is due, and false when
// nothing is queued.
func (s *Store) NextDue(ctx context.Context) (time.Time, bool, error) {
	var due sql.NullInt64
	err := s.reader.QueryRowContext(ctx, `
		SELECT MIN(o.due_at) FROM outbox o JOIN chats c ON c.id = o.chat_id WHERE c.active = 1`).Scan(&due)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("subscriptions: next due: %w", err)
	}
	return time.Unix(due.Int64, 0).UTC(), due.Valid, nil
}

// exec runs one statement in a write transaction; what names it in an error.
func (s *Store) exec(ctx context.Context, what, query string, args ...any) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, query, args...)
		return err
	})
	if err != nil {
		return fmt.Errorf("subscriptions: %s: %w", what, err)
	}
	return nil
}
