package subscriptions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
)

const updateOffsetKey = "telegram_update_offset"

// UpdateOffset returns the id of the last Telegram update the bot handled, or 0.
func (s *Store) UpdateOffset(ctx context.Context) (int64, error) {
	var v string
	err := s.reader.QueryRowContext(ctx, `SELECT value FROM bot_state WHERE key = ?`, updateOffsetKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("subscriptions: update offset: %w", err)
	}
	return strconv.ParseInt(v, 10, 64)
}

// SaveUpdateOffset records the id of the last Telegram update handled, so that a restart
// neither handles it again nor skips the ones after it. A lower id than stored is ignored.
func (s *Store) SaveUpdateOffset(ctx context.Context, id int64) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO bot_state (key, value) VALUES (?1, ?2)
			ON CONFLICT (key) DO UPDATE SET value = ?2 WHERE CAST(value AS INTEGER) < CAST(?2 AS INTEGER)`,
			updateOffsetKey, strconv.FormatInt(id, 10))
		return err
	})
	if err != nil {
		return fmt.Errorf("subscriptions: save update offset: %w", err)
	}
	return nil
}
