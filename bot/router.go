package bot

import (
	"context"
	"errors"
	"livealert/bot/locale"
	"strings"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"livealert/subscriptions"
)

// command is a parsed bot command: "/follow@livealert_bot drones" → {name: "follow", args: "drones"}.
type command struct {
	name string
	args string
}

// parseCommand reads a command from a message text. It reports false for text that is not a
// command, and for a command addressed to another bot ("/follow@otherbot").
func parseCommand(text, botUsername string) (command, bool) {
	if !strings.HasPrefix(text, "/") {
		return command{}, false
	}
	head, args, _ := strings.Cut(text[1:], " ")
	if i := strings.IndexAny(head, "\n\t"); i >= 0 {
		args = head[i+1:] + " " + args
		head = head[:i]
	}
	name, target, addressed := strings.Cut(head, "@")
	if addressed && !strings.EqualFold(target, botUsername) {
		return command{}, false
	}
	if name == "" {
		return command{}, false
	}
	return command{name: strings.ToLower(name), args: strings.TrimSpace(args)}, true
}

// reply is what the bot answers with.
type reply struct {
	text     string
	keyboard *models.InlineKeyboardMarkup
}

// incoming is a message the bot handles, from a user, a group member or a channel.
type incoming struct {
	chat     subscriptions.ChatInfo
	threadID int
	text     string
	// from is the user who sent it or pressed the button, 0 for a channel post; fromChat is
	// the chat it was sent on behalf of (an anonymous group admin, a channel), 0 for none.
	from, fromChat int64
	// replyTo is the chat to answer in when it is not chat: the private chat of a user who
	// manages a linked channel (see channel.go). 0 for chat itself.
	replyTo int64
	// document is the file sent with the message (its caption is text), nil for none.
	document *models.Document
	// l writes the answers: in the language of the chat answered in (set by the gate), or,
	// before the gate and for a chat the bot does not know yet, in the user's.
	l *locale.Locale
}

// userLang is the language for a user's Telegram language_code: theirs when the bot writes
// it, else the default.
func (b *Bot) userLang(code string) locale.Lang {
	if lang, ok := locale.Parse(code); ok {
		return lang
	}
	return b.opts.Language
}

// chatLocale is the Locale of a chat's stored language, the default's when it has none.
func (b *Bot) chatLocale(lang string) *locale.Locale {
	if l, ok := locale.Parse(lang); ok {
		return locale.For(l)
	}
	return locale.For(b.opts.Language)
}

// userIncoming starts an incoming in chat from a user with that language_code: the chat,
// when it is new, takes the user's language.
func (b *Bot) userIncoming(chat models.Chat, languageCode string) incoming {
	lang := b.userLang(languageCode)
	info := chatInfo(chat)
	info.Language = string(lang)
	return incoming{chat: info, l: locale.For(lang)}
}

func (b *Bot) handleUpdate(ctx context.Context, _ *tgbot.Bot, u *models.Update) {
	if !b.admit(ctx, u) {
		return
	}
	switch {
	case u.Message != nil:
		b.handleMessage(ctx, u.Message)
	case u.ChannelPost != nil:
		b.handleMessage(ctx, u.ChannelPost)
	case u.CallbackQuery != nil:
		b.handleCallback(ctx, u.CallbackQuery)
	case u.MyChatMember != nil:
		b.handleMembership(ctx, u.MyChatMember)
	}
}

func chatInfo(c models.Chat) subscriptions.ChatInfo {
	title := c.Title
	if title == "" {
		title = strings.TrimSpace(c.FirstName + " " + c.LastName)
	}
	return subscriptions.ChatInfo{ID: c.ID, Type: string(c.Type), Title: title}
}

func (b *Bot) handleMessage(ctx context.Context, m *models.Message) {
	code := ""
	if m.From != nil {
		code = m.From.LanguageCode
	}
	in := b.userIncoming(m.Chat, code)
	in.text = m.Text
	if m.Document != nil && m.Text == "" {
		in.text, in.document = m.Caption, m.Document
	}
	if m.IsTopicMessage {
		in.threadID = m.MessageThreadID
	}
	if m.From != nil {
		in.from = m.From.ID
	}
	if m.SenderChat != nil {
		in.fromChat = m.SenderChat.ID
	}
	cmd, ok := parseCommand(in.text, b.me.Username)
	if !ok {
		if m.Chat.Type == models.ChatTypePrivate && in.text != "" {
			if lin, err := b.withLocale(ctx, in); err == nil {
				in = lin
			}
			b.send(ctx, in, reply{text: notCommandText(in.l)})
		}
		return
	}
	r, err := b.runCommand(ctx, &in, cmd)
	if err != nil {
		b.log.Error("command failed", "command", cmd.name, "chat_id", in.chat.ID, "error", err)
		r = reply{text: in.l.T("went_wrong")}
	}
	if r.text != "" {
		b.send(ctx, in, r)
	}
}

// runCommand takes a command through the gate and carries it out; in becomes the chat it
// acted on and answers in. An empty answer sends nothing.
func (b *Bot) runCommand(ctx context.Context, in *incoming, cmd command) (reply, error) {
	c := b.cmds.lookup(cmd)
	if c == nil {
		if in.chat.Type == string(models.ChatTypePrivate) {
			lin, err := b.withLocale(ctx, *in)
			return reply{text: unknownCommandText(lin.l, cmd.name)}, err
		}
		return reply{}, nil // in groups, other bots' commands are none of our business
	}
	acting, why, err := b.gate(ctx, *in, rule{access: c.access, where: c.where, own: c.own})
	if err != nil {
		return reply{}, err
	}
	*in = acting
	if why != refusedNot {
		return reply{text: commandRefusal(why, *in, c)}, nil
	}
	var chat subscriptions.Chat
	if !c.stateless {
		if chat, _, err = b.store.StartChat(ctx, in.chat); err != nil {
			return reply{}, err
		}
	}
	return c.run(b, ctx, *in, chat, cmd.args)
}

func (b *Bot) handleCallback(ctx context.Context, q *models.CallbackQuery) {
	answer := ""
	defer func() {
		_, err := b.tg.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: q.ID, Text: answer})
		if err != nil {
			b.log.Warn("answer callback failed", "error", b.redact(err))
		}
	}()
	m := q.Message.Message
	if m == nil {
		answer = b.chatLocale(string(b.userLang(q.From.LanguageCode))).T("button_too_old")
		return
	}
	in := b.userIncoming(m.Chat, q.From.LanguageCode)
	in.from = q.From.ID
	if m.IsTopicMessage {
		in.threadID = m.MessageThreadID
	}
	button, arg := lookupButton(b.buttons, q.Data)
	if button == nil {
		answer = in.l.T("button_gone")
		return
	}
	in, why, err := b.gate(ctx, in, rule{access: button.access, where: everywhere})
	if err == nil && why != refusedNot {
		answer = buttonRefusal(why, in)
		return
	}
	if err == nil {
		_, _, err = b.store.StartChat(ctx, in.chat)
	}
	if err == nil {
		answer, err = button.run(b, ctx, in, m, arg)
	}
	if err != nil {
		b.log.Error("callback failed", "chat_id", in.chat.ID, "data", q.Data, "error", err)
		answer = in.l.T("button_failed")
	}
}

func (b *Bot) handleMembership(ctx context.Context, u *models.ChatMemberUpdated) {
	switch u.NewChatMember.Type {
	case models.ChatMemberTypeBanned, models.ChatMemberTypeLeft:
		if _, err := b.store.DeactivateChat(ctx, u.Chat.ID); err != nil && !errors.Is(err, subscriptions.ErrNotFound) {
			b.log.Error("deactivate chat failed", "chat_id", u.Chat.ID, "error", err)
		}
		b.log.Info("removed from chat", "chat_id", u.Chat.ID)
	case models.ChatMemberTypeMember, models.ChatMemberTypeAdministrator:
		if u.Chat.Type == models.ChatTypePrivate {
			return // a user (re)started the bot; /start does the rest
		}
		in := b.userIncoming(u.Chat, u.From.LanguageCode) // the administrator who added the bot
		chat, _, err := b.store.StartChat(ctx, in.chat)
		if err != nil {
			b.log.Error("start chat failed", "chat_id", u.Chat.ID, "error", err)
		} else {
			in.l = b.chatLocale(chat.Language)
		}
		if joined(u) && u.Chat.Type != models.ChatTypeChannel {
			b.send(ctx, in, reply{text: groupWelcomeText(in.l, in.chat.Title)})
		}
	}
}

// joined reports whether the update adds the bot to the chat, rather than changing its rights
// there: the greeting is sent once per time the bot is added.
func joined(u *models.ChatMemberUpdated) bool {
	switch u.OldChatMember.Type {
	case models.ChatMemberTypeLeft, models.ChatMemberTypeBanned:
		return true
	}
	return false
}
