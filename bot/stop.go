package bot

import (
	"context"

	"livealert/subscriptions"
)

func (b *Bot) stopCommand(ctx context.Context, in incoming, _ subscriptions.Chat, _ string) (reply, error) {
	if err := b.store.ForgetChat(ctx, in.chat.ID); err != nil {
		return reply{}, err
	}
	return reply{text: stoppedText(in.l)}, nil
}
