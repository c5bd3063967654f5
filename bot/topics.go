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
	return topicsKeyboard(b.store.Catalog(), subs, in.threadID, page), nil
}

// topicsPage turns the topics keyboard under m to another page, in place.
func (b *Bot) topicsPage(ctx context.Context, in incoming, m *models.Message, arg string) (string, error) {
	page, err := strconv.Atoi(arg)
	if err != nil || page < 0 || page >= topicPages(b.store.Catalog()) {
		return "This button no longer works; send /topics again.", nil
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
	return reply{text: topicsText(), keyboard: kb}, err
}

func (b *Bot) topicsKeyboard(ctx context.Context, in incoming) (*models.InlineKeyboardMarkup, error) {
	subs, err := b.store.Subscriptions(ctx, in.chat.ID)
	if err != nil {
		return nil, err
	}
	return topicsKeyboard(b.store.Catalog(), subs, in.threadID, 0), nil
}

func (b *Bot) toggleTopic(ctx context.Context, in incoming, m *models.Message, key string) (string, error) {
	t, ok := b.store.Catalog().Lookup(key)
	if !ok {
		return "That topic is no longer offered.", nil
	}
	removed, err := b.store.UnfollowTopic(ctx, in.chat.ID, in.threadID, t.Name)
	if err != nil {
		return "", err
	}
	answer := "Stopped following " + t.Name
	if !removed {
		_, err := b.store.FollowTopic(ctx, in.chat.ID, in.threadID, t.Name)
		if errors.Is(err, subscriptions.ErrTooManySubscriptions) {
			return "This chat follows too many things already.", nil
		}
		if err != nil {
			return "", err
		}
		answer = "Following " + t.Name
	}
	kb, err := b.topicsKeyboardPage(ctx, in, topicPage(b.store.Catalog(), match.TopicKey(t.Name)))
	if err != nil {
		return "", err
	}
	b.editKeyboard(ctx, m, kb)
	return answer, nil
}
