package bot

import (
	"context"
	"fmt"
	"time"

	"livealert/bot/render"
	"livealert/subscriptions"
)

// statsCommand answers /stats with the state of delivery (an operator's command).
func (b *Bot) statsCommand(ctx context.Context, _ incoming, _ subscriptions.Chat, _ string) (reply, error) {
	st, err := b.store.OutboxStats(ctx)
	if err != nil {
		return reply{}, err
	}
	oldest := "none"
	if !st.OldestDue.IsZero() {
		oldest = fmt.Sprintf("%s ago", b.opts.Now().Sub(st.OldestDue).Truncate(time.Second))
	}
	text := fmt.Sprintf("📊 <b>Delivery</b>\n"+
		"Queued: %d (due now: %d)\n"+
		"Oldest due: %s\n"+
		"Dead letters: %d\n"+
		"Inactive chats: %d (alerts dropped: %d)",
		st.Queued, st.Due, render.Esc(oldest), st.DeadLetters, st.InactiveChats, st.Dropped)
	return reply{text: text}, nil
}
