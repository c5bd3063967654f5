package bot

import (
	"context"
	"strconv"

	"github.com/go-telegram/bot/models"
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
