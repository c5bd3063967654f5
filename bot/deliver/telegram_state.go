package deliver

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"livealert/subscriptions"
)

// Telegram's state: what the bot keeps of Telegram across restarts, in the store's key-value.
// The key names are part of the database: changing one forgets what an upgraded database
// holds.
const (
	// updateOffsetKey holds the id of the last update handled, in decimal.
	updateOffsetKey = "telegram_update_offset"
	// sendPauseKey holds, in unix milliseconds, until when Telegram asked the bot not to send.
	sendPauseKey = "telegram_send_pause_until"
)

// UpdateOffset returns the id of the last Telegram update the bot handled, or 0.
func UpdateOffset(ctx context.Context, store *subscriptions.Store) (int64, error) {
	v, ok, err := store.Value(ctx, updateOffsetKey)
	if err != nil || !ok {
		return 0, err
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("deliver: update offset %q: %w", v, err)
	}
	return id, nil
}

// SaveUpdateOffset records the id of the last Telegram update handled, so that a restart
// neither handles it again nor skips the ones after it. A lower id than stored is ignored.
func SaveUpdateOffset(ctx context.Context, store *subscriptions.Store, id int64) error {
	return store.RaiseInt(ctx, updateOffsetKey, id)
}

// SendPause returns until when Telegram asked the bot not to send (its last 429's
// retry_after), or the zero time. A restarted bot honours it.
func SendPause(ctx context.Context, store *subscriptions.Store) (time.Time, error) {
	v, ok, err := store.Value(ctx, sendPauseKey)
	if err != nil || !ok {
		return time.Time{}, err
	}
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("deliver: send pause %q: %w", v, err)
	}
	return time.UnixMilli(ms).UTC(), nil
}

// setSendPause records that nothing may be sent before until. A pause ending earlier than
// the one recorded does not shorten it.
func setSendPause(ctx context.Context, store *subscriptions.Store, until time.Time) error {
	return store.RaiseInt(ctx, sendPauseKey, until.UnixMilli())
}
