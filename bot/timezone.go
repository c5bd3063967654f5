package bot

import (
	"context"

	"livealert/subscriptions"
)

// timezoneCommand shows or sets the chat's time zone: /timezone Europe/Kyiv, /timezone UTC+3,
// /timezone Kyiv.
func (b *Bot) timezoneCommand(ctx context.Context, in incoming, chat subscriptions.Chat, args string) (reply, error) {
	if args == "" {
		return reply{text: timezoneUsageText(in.l, chat, b.opts.Now())}, nil
	}
	loc, err := subscriptions.ParseZone(args)
	if err != nil {
		return reply{text: timezoneUnknownText(in.l, args)}, nil
	}
	chat, err = b.store.SetTimeZone(ctx, in.chat.ID, loc)
	return reply{text: timezoneSetText(in.l, chat, b.opts.Now())}, err
}
