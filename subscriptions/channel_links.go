package subscriptions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// LinkChannel makes the private chat userChatID manage the channel channelID: until
// UnlinkChannel, the subscription commands sent there act on the channel. Both chats must
// have been started (StartChat). A new link replaces the old one.
func (s *Store) LinkChannel(ctx context.Context, userChatID, channelID int64) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO channel_links (user_chat_id, channel_id, created_at) VALUES (?, ?, ?)
			ON CONFLICT (user_chat_id) DO UPDATE SET channel_id = excluded.channel_id, created_at = excluded.created_at`,
			userChatID, channelID, unix(s.now()))
		return err
	})
	if err != nil {
		return fmt.Errorf("subscriptions: link chat %d to channel %d: %w", userChatID, channelID, err)
	}
	return nil
}

// UnlinkChannel ends the private chat's link; it reports false when there was none.
func (s *Store) UnlinkChannel(ctx context.Context, userChatID int64) (bool, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM channel_links WHERE user_chat_id = ?`, userChatID)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return false, fmt.Errorf("subscriptions: unlink chat %d: %w", userChatID, err)
	}
	return n > 0, nil
}

// LinkedChannel returns the channel the private chat manages, or ErrNotFound. A channel the
// bot was removed from (inactive) is not returned.
func (s *Store) LinkedChannel(ctx context.Context, userChatID int64) (Chat, error) {
	var id int64
	err := s.reader.QueryRowContext(ctx, `
		SELECT l.channel_id FROM channel_links l JOIN chats c ON c.id = l.channel_id
		WHERE l.user_chat_id = ? AND c.active = 1`, userChatID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return Chat{}, ErrNotFound
	}
	if err != nil {
		return Chat{}, fmt.Errorf("subscriptions: linked channel of chat %d: %w", userChatID, err)
	}
	return s.Chat(ctx, id)
}
