package bot

import (
	"context"
	"unicode/utf8"

	"livealert/bot/render"
	"livealert/subscriptions"
)

// maxBroadcastRunes bounds an announcement, well within a message.
const maxBroadcastRunes = 3500

// broadcastCommand is /broadcast <text>: an operator's announcement, queued for every active
// chat through the outbox, so it goes out within every chat's limits and survives a restart.
// The text is sent as written (escaped, not read as HTML).
func (b *Bot) broadcastCommand(ctx context.Context, in incoming, _ subscriptions.Chat, args string) (reply, error) {
	if args == "" {
		return reply{text: in.l.T("broadcast_usage")}, nil
	}
	if n := utf8.RuneCountInString(args); n > maxBroadcastRunes {
		return reply{text: in.l.T("broadcast_too_long", "Max", maxBroadcastRunes, "Length", n)}, nil
	}
	n, err := b.store.QueueNotice(ctx, "📣 "+render.Esc(args))
	if err != nil {
		return reply{}, err
	}
	b.sender.Wake()
	b.log.Info("broadcast queued", "chats", n, "operator", in.from)
	return reply{text: in.l.N("broadcast_queued", n)}, nil
}
