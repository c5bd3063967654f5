package bot

import (
	"context"
	"time"

	"livealert/bot/render"
	"livealert/subscriptions"
)

// statsCommand answers /stats with the state of delivery (an operator's command).
func (b *Bot) statsCommand(ctx context.Context, in incoming, _ subscriptions.Chat, _ string) (reply, error) {
	st, err := b.store.OutboxStats(ctx)
	if err != nil {
		return reply{}, err
	}
	oldest := in.l.T("stats_none")
	if !st.OldestDue.IsZero() {
		oldest = in.l.T("stats_ago", "Duration", b.opts.Now().Sub(st.OldestDue).Truncate(time.Second).String())
	}
	text := in.l.T("stats", "Queued", st.Queued, "Due", st.Due, "Oldest", render.Esc(oldest),
		"Dead", st.DeadLetters, "Inactive", st.InactiveChats, "Dropped", st.Dropped)
	return reply{text: text}, nil
}
