package bot

import (
	"context"
	"strings"

	"livealert/subscriptions"
)

func (b *Bot) digestCommand(ctx context.Context, in incoming, chat subscriptions.Chat, args string) (reply, error) {
	switch strings.ToLower(args) {
	case "":
		return reply{text: digestUsageText(in.l, chat)}, nil
	case "off":
		chat, err := b.store.SetDigestTime(ctx, in.chat.ID, "", in.threadID)
		return reply{text: digestSetText(in.l, chat)}, err
	}
	if _, _, err := subscriptions.ParseClock(args); err != nil {
		return reply{text: in.l.T("digest_bad_time", "Value", quote(args)) + digestUsageText(in.l, chat)}, nil
	}
	chat, err := b.store.SetDigestTime(ctx, in.chat.ID, args, in.threadID)
	return reply{text: digestSetText(in.l, chat)}, err
}
