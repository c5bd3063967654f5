package subscriptions

import (
	"context"
	"database/sql"
	"fmt"
)

// KindNotice is an outbox message queued whole for a chat outside any digest: an operator's
// announcement. The sender sends it as it is, like a digest's part.
const KindNotice = "notice"

// QueueNotice queues text (Telegram HTML) for every active chat, due now, and returns how many
// chats it was queued for. The sender delivers them within every chat's limits, like alerts.
func (s *Store) QueueNotice(ctx context.Context, text string) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		now := unix(s.now())
		res, err := tx.ExecContext(ctx, `
			INSERT INTO outbox (chat_id, thread_id, kind, text, due_at, created_at)
			SELECT id, digest_thread, 'notice', CAST(?1 AS TEXT), CAST(?2 AS BIGINT), CAST(?2 AS BIGINT)
			FROM chats WHERE active = 1`, text, now)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("subscriptions: queue notice: %w", err)
	}
	return int(n), nil
}
