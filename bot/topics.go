package bot

import (
	"context"
	"errors"
	"strconv"

	"github.com/go-telegram/bot/models"

	"livealert/subscriptions"
	"livealert/subscriptions/match"
)

// topicsKeyboardPage is the chat's topics keyboard at page.
func (b *Bot) topicsKeyboardPage(ctx context.Context, in incoming, page int) (*models.InlineKeyboardMarkup, error) {
	subs, err := b.store.Subscriptions(ctx, in.chat.ID)
	if err != nil {
		return nil, err
	}
	return topicsKeyboard(in.l, b.store.Catalog(), subs, in.threadID, page), nil
}

// topicsPage turns the topics keyboard under m to another page, in place.
func (b *Bot) topicsPage(ctx context.Context, in incoming, m *models.Message, arg string) (string, error) {
	page, err := strconv.Atoi(arg)
	if err != nil || page < 0 || page >= topicPages(b.store.Catalog()) {
		return in.l.T("topics_button_gone"), nil
	}
	kb, err := b.topicsKeyboardPage(ctx, in, page)
	if err != nil {
		return "", err
	}
	b.editKeyboard(ctx, m, kb)
	return "", nil
}

func (b *Bot) topicsCommand(ctx context.Context, in incoming, _ subscriptions.Chat, _ string) (reply, error) {
	kb, err := b.topicsKeyboard(ctx, in)
	return reply{text: topicsText(in.l), keyboard: kb}, err
}

func (b *Bot) topicsKeyboard(ctx context.Context, in incoming) (*models.InlineKeyboardMarkup, error) {
	subs, err := b.store.Subscriptions(ctx, in.chat.ID)
	if err != nil {
		return nil, err
	}
	return topicsKeyboard(in.l, b.store.Catalog(), subs, in.threadID, 0), nil
}

func (b *Bot) toggleTopic(ctx context.Context, in incoming, m *models.Message, key string) (string, error) {
	t, ok := b.store.Catalog().Lookup(key)
	if !ok {
		return in.l.T("topic_gone"), nil
	}
	removed, err := b.store.UnfollowTopic(ctx, in.chat.ID, in.threadID, t.Name)
	if err != nil {
		return "", err
	}
	name := topicName(in.l, t)
	answer := in.l.T("unfollowed_short", "Label", name)
	if !removed {
		_, err := b.store.FollowTopic(ctx, in.chat.ID, in.threadID, t.Name)
		if errors.Is(err, subscriptions.ErrTooManySubscriptions) {
			return in.l.T("too_many_short"), nil
		}
		if err != nil {
			return "", err
		}
		answer = in.l.T("following_short", "Label", name)
	}
	kb, err := b.topicsKeyboardPage(ctx, in, topicPage(b.store.Catalog(), match.TopicKey(t.Name)))
	if err != nil {
		return "", err
	}
	b.editKeyboard(ctx, m, kb)
	return answer, nil
}
