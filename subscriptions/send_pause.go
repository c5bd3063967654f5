package subscriptions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"
)

const sendPauseKey = "telegram_send_pause_until"

// SendPause returns until when Telegram asked the bot not to send (its last 429's
// retry_after), or the zero time. A restarted bot honours it.
func (s *Store) SendPause(ctx context.Context) (time.Time, error) {
	var v string
	err := s.reader.QueryRowContext(ctx, `SELECT value FROM bot_state WHERE key = ?`, sendPauseKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("subscriptions: send pause: %w", err)
	}
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("subscriptions: send pause %q: %w", v, err)
	}
	return time.UnixMilli(ms).UTC(), nil
}

// SetSendPause records that nothing may be sent before until. A pause ending earlier than
// the one recorded does not shorten it.
func (s *Store) SetSendPause(ctx context.Context, until time.Time) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO bot_state (key, value) VALUES (?1, ?2)
			ON CONFLICT (key) DO UPDATE SET value = ?2 WHERE CAST(value AS INTEGER) < CAST(?2 AS INTEGER)`,
			sendPauseKey, strconv.FormatInt(until.UnixMilli(), 10))
		return err
	})
	if err != nil {
		return fmt.Errorf("subscriptions: set send pause: %w", err)
	}
	return nil
}
