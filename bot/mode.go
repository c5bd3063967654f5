package bot

import (
	"context"
	"strings"

	"livealert/subscriptions"
)

// modeCommand shows or sets how subscriptions are delivered: /mode lists them, /mode digest
// sets every subscription of the chat (in this forum topic), /mode drones instant one of them.
func (b *Bot) modeCommand(ctx context.Context, in incoming, _ subscriptions.Chat, args string) (reply, error) {
	subs, err := b.store.Subscriptions(ctx, in.chat.ID)
	if err != nil {
		return reply{}, err
	}
	if args == "" {
		return reply{text: modeListText(in.l, subs, b.store.Catalog())}, nil
	}
	what, last := "", args
	if i := strings.LastIndexByte(args, ' '); i >= 0 {
		what, last = strings.TrimSpace(args[:i]), args[i+1:]
	}
	mode, ok := subscriptions.ParseMode(last)
	if !ok {
		return reply{text: in.l.T("mode_bad", "Value", quote(last)) + modeUsageText(in.l)}, nil
	}
	if what == "" {
		n, err := b.store.SetModeAll(ctx, in.chat.ID, in.threadID, mode)
		return reply{text: modeAllSetText(in.l, n, mode)}, err
	}
	sub, ok, err := b.findSubscription(ctx, in, what)
	if err != nil || !ok {
		return reply{text: unfollowedText(in.l, what, false)}, err
	}
	if _, err := b.store.SetMode(ctx, in.chat.ID, sub.ID, mode); err != nil {
		return reply{}, err
	}
	return reply{text: modeSetText(in.l, label(in.l, sub, b.store.Catalog()), mode)}, nil
}
