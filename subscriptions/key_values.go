package subscriptions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
)

// The key_values table is a small key-value for facts that fit no table of their own: the
// store's counters and whatever callers keep across restarts (the bot's Telegram state).
// Callers own their key names; keys the store uses itself are listed here.

// droppedKey counts the queued messages dropped because their chat refused the bot.
const droppedKey = "outbox_dropped_inactive"

// Value returns the value stored under key, and false when there is none.
func (s *Store) Value(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := s.reader.QueryRowContext(ctx, `SELECT value FROM key_values WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("subscriptions: value %q: %w", key, err)
	}
	return v, true, nil
}

// RaiseInt stores v, in decimal, under key unless the integer stored there already is v or
// more: the value under key only ever grows.
func (s *Store) RaiseInt(ctx context.Context, key string, v int64) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO key_values (key, value) VALUES (?1, ?2)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value
			WHERE CAST(key_values.value AS BIGINT) < CAST(excluded.value AS BIGINT)`,
			key, strconv.FormatInt(v, 10))
		return err
	})
	if err != nil {
		return fmt.Errorf("subscriptions: raise %q: %w", key, err)
	}
	return nil
}
