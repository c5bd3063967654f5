package subscriptions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"livealert/subscriptions/match"
)

// MaxSubscriptions is how many subscriptions one chat may have.
const MaxSubscriptions = 50

// ErrTooManySubscriptions is returned when a chat already has MaxSubscriptions.
var ErrTooManySubscriptions = fmt.Errorf("subscriptions: a chat may follow at most %d topics and queries", MaxSubscriptions)

// Subscription is one thing a chat follows: a catalog topic or its own query.
type Subscription struct {
	ID       int64
	ChatID   int64
	ThreadID int
	// Topic is the catalog topic's key, or "" for a query.
	Topic string
	// Query is the chat's own query as typed, or "" for a topic.
	Query   string
	Created time.Time
	// Mode is ModeInstant, ModeDigest or ModeBoth.
	Mode string
	// MutedUntil is when the subscription is heard again; zero when not muted.
	MutedUntil time.Time
}

// Label is what the subscription is shown as: the topic's name or the query.
func (s Subscription) Label(c *match.Catalog) string {
	if s.Topic == "" {
		return s.Query
	}
	if t, ok := c.Lookup(s.Topic); ok {
		return t.Name
	}
	return s.Topic
}

// FollowTopic subscribes the chat (in a forum topic when threadID is not 0) to a catalog topic.
// It reports false when the chat already followed it.
func (s *Store) FollowTopic(ctx context.Context, chatID int64, threadID int, topic string) (bool, error) {
	t, ok := s.catalog.Lookup(topic)
	if !ok {
		return false, fmt.Errorf("subscriptions: follow %q: %w", topic, ErrNotFound)
	}
	return s.follow(ctx, chatID, threadID, match.TopicKey(t.Name), "")
}

// Follow subscribes the chat to its own query, which must parse. It reports false when the
// chat already followed the same query.
func (s *Store) Follow(ctx context.Context, chatID int64, threadID int, query string) (bool, error) {
	if _, err := match.ParseQuery(query); err != nil {
		return false, err
	}
	return s.follow(ctx, chatID, threadID, "", query)
}

func (s *Store) follow(ctx context.Context, chatID int64, threadID int, topic, query string) (bool, error) {
	var created bool
	err := s.write(ctx, func(tx *sql.Tx) error {
		var exists, n int
		err := tx.QueryRowContext(ctx, `
			SELECT COUNT(*) FILTER (WHERE thread_id = ? AND topic = ? AND query = ?), COUNT(*)
			FROM subscriptions WHERE chat_id = ?`, threadID, topic, query, chatID).Scan(&exists, &n)
		switch {
		case err != nil:
			return err
		case exists > 0:
			return nil
		case n >= MaxSubscriptions:
			return ErrTooManySubscriptions
		}
		_, err = tx.ExecContext(ctx, `
			INSERT INTO subscriptions (chat_id, thread_id, topic, query, created_at) VALUES (?, ?, ?, ?, ?)`,
			chatID, threadID, topic, query, unix(s.now()))
		created = err == nil
		return err
	})
	if errors.Is(err, ErrTooManySubscriptions) {
		return false, err
	}
	if err != nil {
		return false, fmt.Errorf("subscriptions: follow in chat %d: %w", chatID, err)
	}
	if !created {
		return false, nil
	}
	return true, s.rebuildMatcher(ctx)
}

// UnfollowTopic removes the chat's subscription to a catalog topic in that thread. It reports
// false when there was none.
func (s *Store) UnfollowTopic(ctx context.Context, chatID int64, threadID int, topic string) (bool, error) {
	return s.unfollow(ctx, `DELETE FROM subscriptions WHERE chat_id = ? AND thread_id = ? AND topic = ?`, chatID, threadID, match.TopicKey(topic))
}

// Unfollow removes one of the chat's subscriptions by id. It reports false when the chat has
// no subscription with that id.
func (s *Store) Unfollow(ctx context.Context, chatID, subscriptionID int64) (bool, error) {
	return s.unfollow(ctx, `DELETE FROM subscriptions WHERE chat_id = ? AND id = ?`, chatID, subscriptionID)
}

func (s *Store) unfollow(ctx context.Context, query string, args ...any) (bool, error) {
	var removed int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return err
		}
		removed, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return false, fmt.Errorf("subscriptions: unfollow: %w", err)
	}
	if removed == 0 {
		return false, nil
	}
	return true, s.rebuildMatcher(ctx)
}

// Subscriptions returns the chat's subscriptions, oldest first.
func (s *Store) Subscriptions(ctx context.Context, chatID int64) ([]Subscription, error) {
	rows, err := s.reader.QueryContext(ctx, `
		SELECT id, chat_id, thread_id, topic, query, created_at, mode, muted_until FROM subscriptions
		WHERE chat_id = ? ORDER BY id`, chatID)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: list of chat %d: %w", chatID, err)
	}
	defer rows.Close()
	var subs []Subscription
	for rows.Next() {
		var sub Subscription
		var created, muted int64
		if err := rows.Scan(&sub.ID, &sub.ChatID, &sub.ThreadID, &sub.Topic, &sub.Query, &created, &sub.Mode, &muted); err != nil {
			return nil, fmt.Errorf("subscriptions: list of chat %d: %w", chatID, err)
		}
		sub.Created = fromUnix(created)
		sub.MutedUntil = fromUnix(muted)
		subs = append(subs, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("subscriptions: list of chat %d: %w", chatID, err)
	}
	return subs, nil
}
