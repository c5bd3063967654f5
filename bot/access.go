package bot

import (
	"context"
	"errors"
	"strconv"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"livealert/bot/locale"
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
	l := locale.For(b.userLang(updateLanguage(u)))
	if q := u.CallbackQuery; q != nil {
		b.answerPress(ctx, q.ID, l.T("private_bot_answer"))
		return false
	}
	if first {
		b.log.Info("refused a stranger", "chat_id", chat, "user_id", from)
		in := incoming{chat: subscriptions.ChatInfo{ID: chat, Type: chatTypeOf(u)}, l: l}
		if m := u.Message; m != nil && m.IsTopicMessage {
			in.threadID = m.MessageThreadID
		}
		b.send(ctx, in, reply{text: privateBotText(l, from)})
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

// updateLanguage is the language_code of the user who made the update, "" for none.
func updateLanguage(u *models.Update) string {
	switch {
	case u.Message != nil && u.Message.From != nil:
		return u.Message.From.LanguageCode
	case u.CallbackQuery != nil:
		return u.CallbackQuery.From.LanguageCode
	case u.MyChatMember != nil:
		return u.MyChatMember.From.LanguageCode
	}
	return ""
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
		return reply{text: accessUsageText(in.l, "allow")}, nil
	}
	if err := b.store.SetAccess(ctx, id, subscriptions.AccessAllowed, in.from); err != nil {
		return reply{}, err
	}
	return reply{text: in.l.T("access_allowed", "ID", id)}, nil
}

// denyCommand is /deny <id>: an operator shuts a user or chat out of the bot, whatever the
// configuration says; a denied chat gets no more alerts.
func (b *Bot) denyCommand(ctx context.Context, in incoming, _ subscriptions.Chat, args string) (reply, error) {
	id, err := strconv.ParseInt(args, 10, 64)
	if err != nil || id == 0 {
		return reply{text: accessUsageText(in.l, "deny")}, nil
	}
	if b.admins[id] {
		return reply{text: in.l.T("access_deny_operator")}, nil
	}
	if err := b.store.SetAccess(ctx, id, subscriptions.AccessDenied, in.from); err != nil {
		return reply{}, err
	}
	if _, err := b.store.DeactivateChat(ctx, id); err != nil && !errors.Is(err, subscriptions.ErrNotFound) {
		return reply{}, err
	}
	return reply{text: in.l.T("access_denied", "ID", id)}, nil
}

func accessUsageText(l *locale.Locale, cmd string) string {
	return l.T("access_usage", "Command", cmd)
}

// privateBotText answers a stranger's first message, with their id for an operator's /allow.
func privateBotText(l *locale.Locale, userID int64) string {
	if userID == 0 {
		return l.T("private_bot")
	}
	return l.T("private_bot_ask", "ID", userID)
}
