package subscriptions

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"
)

// OutboxStats is the state of delivery, for the operator.
type OutboxStats struct {
	// Queued counts the messages waiting, Due those of them due now (of active chats).
	Queued, Due int
	// OldestDue is when the longest-waiting due message became due; zero when none is.
	OldestDue time.Time
	// DeadLetters counts the messages Telegram refused for good.
	DeadLetters int
	// InactiveChats counts the chats that refused the bot (blocked it, kicked it), and
	// Dropped the queued messages thrown away when they did.
	InactiveChats int
	Dropped       int64
}

// OutboxStats returns the state of delivery now.
func (s *Store) OutboxStats(ctx context.Context) (OutboxStats, error) {
	var st OutboxStats
	var oldest sql.NullInt64
	var dropped sql.NullString
	err := s.reader.QueryRowContext(ctx, `
		SELECT
			(SELECT COUNT(*) FROM outbox),
			(SELECT COUNT(*) FROM outbox o JOIN chats c ON c.id = o.chat_id WHERE c.active = 1 AND o.due_at <= ?1),
			(SELECT MIN(o.due_at) FROM outbox o JOIN chats c ON c.id = o.chat_id WHERE c.active = 1 AND o.due_at <= ?1),
			(SELECT COUNT(*) FROM dead_letters),
			(SELECT COUNT(*) FROM chats WHERE active = 0),
			(SELECT value FROM key_values WHERE key = ?2)`, unix(s.now()), droppedKey).
		Scan(&st.Queued, &st.Due, &oldest, &st.DeadLetters, &st.InactiveChats, &dropped)
	if err != nil {
		return OutboxStats{}, fmt.Errorf("subscriptions: outbox stats: %w", err)
	}
	if oldest.Valid {
		st.OldestDue = fromUnix(oldest.Int64)
	}
	if dropped.Valid {
		st.Dropped, _ = strconv.ParseInt(dropped.String, 10, 64)
	}
	return st, nil
}

// countDropped adds n to the count of messages dropped for inactive chats, in tx.
func countDropped(ctx context.Context, tx *sql.Tx, n int64) error {
	if n == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `
		INSERT INTO key_values (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(key_values.value AS BIGINT) + CAST(excluded.value AS BIGINT) AS TEXT)`,
		droppedKey, strconv.FormatInt(n, 10))
	return err
}
