package bot

import (
	"context"
	"strings"

	"livealert/subscriptions"
)

func (b *Bot) digestCommand(ctx context.Context, in incoming, chat subscriptions.Chat, args string) (reply, error) {
	switch strings.ToLower(args) {
	case "":
		return reply{text: digestUsageText(chat)}, nil
	case "off":
		chat, err := b.store.SetDigestTime(ctx, in.chat.ID, "", in.threadID)
		return reply{text: digestSetText(chat)}, err
	}
	if _, _, err := subscriptions.ParseClock(args); err != nil {
		return reply{text: "⚠️ " + quote(args) + " is not a time of day. " + digestUsageText(chat)}, nil
	}
	chat, err := b.store.SetDigestTime(ctx, in.chat.ID, args, in.threadID)
	return reply{text: digestSetText(chat)}, err
}
