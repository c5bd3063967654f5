package bot

import (
	"context"
	"strings"

	"livealert/subscriptions"
)

// quietCommand shows, sets or removes the chat's quiet hours: /quiet 23:00-07:00, /quiet off.
func (b *Bot) quietCommand(ctx context.Context, in incoming, chat subscriptions.Chat, args string) (reply, error) {
	switch strings.ToLower(args) {
	case "":
		return reply{text: quietUsageText(in.l, chat)}, nil
	case "off", "none":
		chat, err := b.store.SetQuietHours(ctx, in.chat.ID, "", "")
		return reply{text: quietSetText(in.l, chat)}, err
	}
	start, end, err := subscriptions.ParseQuietHours(args)
	if err != nil {
		return reply{text: in.l.T("quiet_bad", "Value", quote(args)) + quietUsageText(in.l, chat)}, nil
	}
	chat, err = b.store.SetQuietHours(ctx, in.chat.ID, start, end)
	return reply{text: quietSetText(in.l, chat)}, err
}
