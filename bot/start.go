package bot

import (
	"context"
	"strings"

	"livealert/subscriptions"
)

func (b *Bot) startCommand(ctx context.Context, in incoming, chat subscriptions.Chat, _ string) (reply, error) {
	kb, err := b.topicsKeyboard(ctx, in)
	return reply{text: welcomeText(in.l, chat), keyboard: kb}, err
}

// startTopicCommand is /start topic-<key>, a deep link: it follows that catalog topic. An
// unknown key is the plain welcome.
func (b *Bot) startTopicCommand(ctx context.Context, in incoming, chat subscriptions.Chat, args string) (reply, error) {
	key, _ := strings.CutPrefix(args, startTopicPayload)
	t, ok := b.store.Catalog().Lookup(key)
	if !ok {
		return b.startCommand(ctx, in, chat, "")
	}
	r, err := b.follow(ctx, in, chat, t.Name)
	if err != nil {
		return r, err
	}
	kb, err := b.topicsKeyboard(ctx, in)
	return reply{text: r.text, keyboard: kb}, err
}
