package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"livealert/subscriptions"
)

// AccessOptions make a private bot: only the listed users and chats (and those an operator
// allows with /allow) may use it; a stranger is told so once and then ignored.
type AccessOptions struct {
	// Private turns the allowlist on; everyone may use the bot when false.
	Private bool
	// Users and Chats are allowed by the configuration. A user may use the bot in any chat; a
	// chat (a group, a channel) lets all its members read, and its administrators change it.
	Users, Chats []int64
}

// accessList decides who may use a private bot: operators always; then what an operator
// recorded (/deny wins over the configuration, /allow adds to it); then the configuration.
type accessList struct {
	private bool
	listed  map[int64]bool
}

func newAccessList(o AccessOptions) accessList {
	l := accessList{private: o.Private, listed: map[int64]bool{}}
	for _, id := range append(append([]int64{}, o.Users...), o.Chats...) {
		l.listed[id] = true
	}
	return l
}

// admit reports whether the update may be handled. A stranger's first update in a chat is
// answered with privateBotText (a press with a callback answer), later ones with nothing;
// nothing else of theirs is stored.
func (b *Bot) admit(ctx context.Context, u *models.Update) bool {
	if !b.access.private {
		return true
	}
	chat, from := updateParties(u)
	if from != 0 && b.admins[from] {
		return true
	}
	allowed := false
	for _, id := range []int64{chat, from} {
		if id == 0 {
			continue
		}
		state, err := b.store.Access(ctx, id)
		if err != nil {
			b.log.Error("access check failed", "id", id, "error", err)
			return false
		}
		switch {
		case state == subscriptions.AccessDenied:
			return false
		case state == subscriptions.AccessAllowed || b.access.listed[id]:
			allowed = true
		}
	}
	if allowed || chat == 0 {
		return allowed
	}
	first, err := b.store.MarkRefused(ctx, chat)
	if err != nil {
		b.log.Error("access check failed", "chat_id", chat, "error", err)
	}
	if q := u.CallbackQuery; q != nil {
		b.answerPress(ctx, q.ID, privateBotAnswer)
		return false
	}
	if first {
		b.log.Info("refused a stranger", "chat_id", chat, "user_id", from)
		in := incoming{chat: subscriptions.ChatInfo{ID: chat, Type: chatTypeOf(u)}}
		if m := u.Message; m != nil && m.IsTopicMessage {
			in.threadID = m.MessageThreadID
		}
		b.send(ctx, in, reply{text: privateBotText(from)})
	}
	return false
}

// updateParties returns the chat an update is in and the user who made it (0 for none).
func updateParties(u *models.Update) (chat, from int64) {
	switch {
	case u.Message != nil:
		chat = u.Message.Chat.ID
		if u.Message.From != nil {
			from = u.Message.From.ID
		}
	case u.ChannelPost != nil:
		chat = u.ChannelPost.Chat.ID
	case u.CallbackQuery != nil:
		from = u.CallbackQuery.From.ID
		if m := u.CallbackQuery.Message.Message; m != nil {
			chat = m.Chat.ID
		}
	case u.MyChatMember != nil:
		chat, from = u.MyChatMember.Chat.ID, u.MyChatMember.From.ID
	}
	return chat, from
}

func chatTypeOf(u *models.Update) string {
	switch {
	case u.Message != nil:
		return string(u.Message.Chat.Type)
	case u.ChannelPost != nil:
		return string(u.ChannelPost.Chat.Type)
	case u.MyChatMember != nil:
		return string(u.MyChatMember.Chat.Type)
	}
	return string(models.ChatTypePrivate)
}

// answerPress answers a button press with text.
func (b *Bot) answerPress(ctx context.Context, id, text string) {
	if _, err := b.tg.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: id, Text: text}); err != nil {
		b.log.Warn("answer callback failed", "error", b.redact(err))
	}
}

// allowCommand is /allow <id>: an operator lets a user or chat use a private bot.
func (b *Bot) allowCommand(ctx context.Context, in incoming, _ subscriptions.Chat, args string) (reply, error) {
	id, err := strconv.ParseInt(args, 10, 64)
	if err != nil || id == 0 {
		return reply{text: accessUsageText("allow")}, nil
	}
	if err := b.store.SetAccess(ctx, id, subscriptions.AccessAllowed, in.from); err != nil {
		return reply{}, err
	}
	return reply{text: fmt.Sprintf("✅ <code>%d</code> may use the bot now.", id)}, nil
}

// denyCommand is /deny <id>: an operator shuts a user or chat out of the bot, whatever the
// configuration says; a denied chat gets no more alerts.
func (b *Bot) denyCommand(ctx context.Context, in incoming, _ subscriptions.Chat, args string) (reply, error) {
	id, err := strconv.ParseInt(args, 10, 64)
	if err != nil || id == 0 {
		return reply{text: accessUsageText("deny")}, nil
	}
	if b.admins[id] {
		return reply{text: "⚠️ An operator cannot be denied; remove them from telegram.admins instead."}, nil
	}
	if err := b.store.SetAccess(ctx, id, subscriptions.AccessDenied, in.from); err != nil {
		return reply{}, err
	}
	if _, err := b.store.DeactivateChat(ctx, id); err != nil && !errors.Is(err, subscriptions.ErrNotFound) {
		return reply{}, err
	}
	return reply{text: fmt.Sprintf("⛔ <code>%d</code> may no longer use the bot; its alerts stop.", id)}, nil
}

func accessUsageText(cmd string) string {
	return fmt.Sprintf("Send <code>/%s 123456789</code>: a user's or a chat's id (a stranger's refusal shows it).", cmd)
}

// privateBotText answers a stranger's first message.
func privateBotText(userID int64) string {
	text := "🔒 This livealert bot is private: its operators decide who may use it."
	if userID != 0 {
		text += fmt.Sprintf(" Ask one of them to allow your id, <code>%d</code>.", userID)
	}
	return text
}

// privateBotAnswer answers a stranger's button press.
const privateBotAnswer = "This bot is private."
