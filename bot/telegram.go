package bot

import (
	"context"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"livealert/bot/deliver"
	"livealert/bot/render"
)

// send queues an answer to a command and returns: it goes out in order with the chat's other
// replies, within Telegram's rate limits, and an identical answer still waiting for the chat
// stands for it (see deliver.Sender.Reply). The update being handled is not done until it has gone.
// For a channel managed from a private chat (in.replyTo), the answer goes to the private
// chat, headed by the channel's name.
func (b *Bot) send(ctx context.Context, in incoming, r reply) {
	chatID, threadID, chatType := in.chat.ID, in.threadID, in.chat.Type
	if in.replyTo != 0 {
		chatID, threadID, chatType = in.replyTo, 0, string(models.ChatTypePrivate)
		r.text = channelNote(in.l, in.chat.Title) + r.text
	}
	r.text = fitReply(r.text)
	b.sender.Reply(ctx, chatType, deliver.MessageParams(chatID, threadID, r.text, r.keyboard), holdUpdate(ctx))
}

// editKeyboard replaces the keyboard under a message the bot sent.
func (b *Bot) editKeyboard(ctx context.Context, m *models.Message, kb *models.InlineKeyboardMarkup) {
	_, err := b.tg.EditMessageReplyMarkup(ctx, &tgbot.EditMessageReplyMarkupParams{
		ChatID: m.Chat.ID, MessageID: m.ID, ReplyMarkup: kb,
	})
	if err != nil {
		b.log.Warn("edit keyboard failed", "chat_id", m.Chat.ID, "error", b.redact(err))
	}
}

// editMessage replaces the text and keyboard of a message the bot sent.
func (b *Bot) editMessage(ctx context.Context, m *models.Message, r reply) {
	p := &tgbot.EditMessageTextParams{
		ChatID: m.Chat.ID, MessageID: m.ID, Text: r.text, ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()},
	}
	if r.keyboard != nil {
		p.ReplyMarkup = r.keyboard
	}
	if _, err := b.tg.EditMessageText(ctx, p); err != nil {
		b.log.Warn("edit message failed", "chat_id", m.Chat.ID, "error", b.redact(err))
	}
}

// fitReply returns text as Telegram takes it: a reply longer than a message may be (which the
// quoting of input in every text should prevent) loses its formatting and is cut with an
// ellipsis, rather than being refused.
func fitReply(text string) string {
	if render.Length(text) <= render.MaxMessageLength {
		return text // the markup only adds to the length Telegram counts
	}
	plain := render.PlainText(text)
	if render.Length(plain) <= render.MaxMessageLength {
		return text
	}
	return render.Esc(render.Cut(plain, render.MaxMessageLength))
}
