package bot

import (
	"context"
	"fmt"
	"time"

	"livealert/bot/render"
	"livealert/subscriptions"
)

// previewWindow and previewCount: /follow tells how many stored entries of the last
// previewWindow the new subscription would have matched, and shows the first previewCount.
const (
	previewWindow = 24 * time.Hour
	previewCount  = 3
)

// followPreview renders the filter preview of m for the chat; "" when it cannot be made (the
// follow itself succeeded, so a failure here is only logged).
func (b *Bot) followPreview(ctx context.Context, in incoming, m subscriptions.Matchable) string {
	now := b.opts.Now()
	entries, err := b.store.RecentMatches(ctx, m, now.Add(-previewWindow))
	if err != nil {
		b.log.Error("follow preview failed", "chat_id", in.chat.ID, "error", err)
		return ""
	}
	if len(entries) == 0 {
		return "\n\nNothing I stored in the last 24 hours matches it."
	}
	loc := time.UTC
	if chat, err := b.store.Chat(ctx, in.chat.ID); err == nil {
		loc = chat.TimeZone
	}
	text := fmt.Sprintf("\n\nIn the last 24 hours it would have matched %s", render.Plural(len(entries), "entry", "entries"))
	if len(entries) > previewCount {
		text += fmt.Sprintf("; the newest %d", previewCount)
	}
	return text + ":" + render.EntryLines(entries[:min(len(entries), previewCount)], now, loc, b.sources)
}
