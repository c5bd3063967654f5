package bot

import (
	"context"

	"github.com/go-telegram/bot/models"

	"livealert/subscriptions"
)

func (b *Bot) unfollow(ctx context.Context, in incoming, _ subscriptions.Chat, args string) (reply, error) {
	subs, err := b.store.Subscriptions(ctx, in.chat.ID)
	if err != nil {
		return reply{}, err
	}
	if args == "" {
		return reply{text: unfollowPickText(in.l, len(subs)), keyboard: unfollowKeyboard(in.l, b.store.Catalog(), subs)}, nil
	}
	for _, s := range subs {
		if s.ThreadID != in.threadID {
			continue
		}
		if s.Query == args || (s.Topic != "" && s.Topic == b.topicKey(args)) {
			removed, err := b.store.Unfollow(ctx, in.chat.ID, s.ID)
			return reply{text: unfollowedText(in.l, label(in.l, s, b.store.Catalog()), removed)}, err
		}
	}
	return reply{text: unfollowedText(in.l, args, false)}, nil
}

func (b *Bot) unfollowButton(ctx context.Context, in incoming, m *models.Message, arg string) (string, error) {
	var id int64
	for _, r := range arg {
		if r < '0' || r > '9' {
			return in.l.T("button_gone_short"), nil
		}
		id = id*10 + int64(r-'0')
	}
	subs, err := b.store.Subscriptions(ctx, in.chat.ID)
	if err != nil {
		return "", err
	}
	name := ""
	for _, s := range subs {
		if s.ID == id {
			name = label(in.l, s, b.store.Catalog())
		}
	}
	removed, err := b.store.Unfollow(ctx, in.chat.ID, id)
	if err != nil || !removed {
		return in.l.T("already_gone"), err
	}
	subs, err = b.store.Subscriptions(ctx, in.chat.ID)
	if err != nil {
		return "", err
	}
	text := unfollowPickText(in.l, len(subs))
	if in.replyTo != 0 {
		text = channelNote(in.l, in.chat.Title) + text // as send headed it
	}
	b.editMessage(ctx, m, reply{text: text, keyboard: unfollowKeyboard(in.l, b.store.Catalog(), subs)})
	return in.l.T("unfollowed_short", "Label", name), nil
}
