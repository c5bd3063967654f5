package bot

import (
	"context"
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
		return in.l.T("preview_none")
	}
	loc := time.UTC
	if chat, err := b.store.Chat(ctx, in.chat.ID); err == nil {
		loc = chat.TimeZone
	}
	text := in.l.N("preview_matched", len(entries))
	if len(entries) > previewCount {
		text += in.l.T("preview_newest", "Shown", previewCount)
	}
	return text + ":" + render.EntryLines(in.l, entries[:min(len(entries), previewCount)], now, loc, b.renderSources())
}
