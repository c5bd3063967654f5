package bot

import (
	"context"
	"time"

	"livealert/bot/locale"
	"livealert/bot/render"
	"livealert/subscriptions"
)

// statsCommand answers /stats with the state of delivery (an operator's command).
func (b *Bot) statsCommand(ctx context.Context, in incoming, _ subscriptions.Chat, _ string) (reply, error) {
	st, err := b.store.OutboxStats(ctx)
	if err != nil {
		return reply{}, err
	}
	return reply{text: statsText(in.l, st, b.opts.Now())}, nil
}

// statsText renders the state of delivery in l's language; how long the oldest due message
// has waited is a duration in the language ("5 min ago", "5 хв тому").
func statsText(l *locale.Locale, st subscriptions.OutboxStats, now time.Time) string {
	oldest := l.T("stats_none")
	if !st.OldestDue.IsZero() {
		oldest = l.T("stats_ago", "Duration", l.Duration(now.Sub(st.OldestDue)))
	}
	return l.T("stats", "Queued", st.Queued, "Due", st.Due, "Oldest", render.Esc(oldest),
		"Dead", st.DeadLetters, "Inactive", st.InactiveChats, "Dropped", st.Dropped)
}
