package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/go-telegram/bot/models"
)

// statsCommand answers /stats with the state of delivery, for the operator only: in a private
// chat with an admin (Options.Admins). Anyone else is told the command is unknown, so that it
// is not advertised.
func (b *Bot) statsCommand(ctx context.Context, in incoming) (reply, error) {
	if in.chat.Type != string(models.ChatTypePrivate) || !b.admins[in.chat.ID] {
		if in.chat.Type == string(models.ChatTypePrivate) {
			return reply{text: unknownCommandText("stats")}, nil
		}
		return reply{}, nil
	}
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
		st.Queued, st.Due, esc(oldest), st.DeadLetters, st.InactiveChats, st.Dropped)
	return reply{text: text}, nil
}
