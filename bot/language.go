package bot

import (
	"context"
	"strings"

	"github.com/go-telegram/bot/models"

	"livealert/bot/locale"
	"livealert/subscriptions"
)

// languagePrefix is the callback data of a language button: the prefix and the language's code.
const languagePrefix = "lang:"

// languageCommand is /language: `en`, `uk` or `ru` sets the chat's language; nothing (or an
// unknown code) shows the language and a button per language.
func (b *Bot) languageCommand(ctx context.Context, in incoming, chat subscriptions.Chat, args string) (reply, error) {
	if args == "" {
		return reply{text: in.l.T("language_usage", "Name", in.l.T("language_name")), keyboard: languageKeyboard()}, nil
	}
	lang, ok := locale.Parse(args)
	if !ok {
		return reply{text: in.l.T("language_unknown", "Value", quote(args)), keyboard: languageKeyboard()}, nil
	}
	if _, err := b.store.SetLanguage(ctx, in.chat.ID, string(lang)); err != nil {
		return reply{}, err
	}
	return reply{text: languageSetText(in, lang)}, nil
}

// languageSetText confirms the chat's new language, in that language; a reply in a private
// chat managing a channel stays in the private chat's own language.
func languageSetText(in incoming, lang locale.Lang) string {
	if in.replyTo != 0 {
		return "🌐 " + locale.For(lang).T("language_set_short")
	}
	return locale.For(lang).T("language_set")
}

// languageKeyboard offers each language, named in itself.
func languageKeyboard() *models.InlineKeyboardMarkup {
	var row []models.InlineKeyboardButton
	for _, lang := range locale.Languages() {
		row = append(row, models.InlineKeyboardButton{Text: locale.For(lang).T("language_set_short"), CallbackData: languagePrefix + string(lang)})
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{row}}
}

// languageButton sets the chat's language from a button of languageKeyboard and edits the
// message to confirm it.
func (b *Bot) languageButton(ctx context.Context, in incoming, m *models.Message, arg string) (string, error) {
	lang, ok := locale.Parse(strings.TrimSpace(arg))
	if !ok {
		return in.l.T("button_gone_short"), nil
	}
	if _, err := b.store.SetLanguage(ctx, in.chat.ID, string(lang)); err != nil {
		return "", err
	}
	text := languageSetText(in, lang)
	if in.replyTo != 0 {
		text = channelNote(in.l, in.chat.Title) + text
	}
	b.editMessage(ctx, m, reply{text: text})
	return locale.For(lang).T("language_set_short"), nil
}
