package bot

import (
	"context"

	"livealert/subscriptions"
)

func (b *Bot) listCommand(ctx context.Context, in incoming, chat subscriptions.Chat, _ string) (reply, error) {
	subs, err := b.store.Subscriptions(ctx, in.chat.ID)
	return reply{text: listText(in.l, chat, subs, b.store.Catalog())}, err
}
