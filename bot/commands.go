package bot

import (
	"context"
	"errors"
	"strings"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"livealert/subscriptions"
	"livealert/subscriptions/match"
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
	// manages a linked channel (see cmd_channel.go). 0 for chat itself.
	replyTo int64
}

func (b *Bot) handleUpdate(ctx context.Context, _ *tgbot.Bot, u *models.Update) {
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
	in := incoming{chat: chatInfo(m.Chat), text: m.Text}
	if m.IsTopicMessage {
		in.threadID = m.MessageThreadID
	}
	if m.From != nil {
		in.from = m.From.ID
	}
	if m.SenderChat != nil {
		in.fromChat = m.SenderChat.ID
	}
	cmd, ok := parseCommand(m.Text, b.me.Username)
	if !ok {
		if m.Chat.Type == models.ChatTypePrivate && m.Text != "" {
			b.send(ctx, in, reply{text: notCommandText()})
		}
		return
	}
	r, err := b.runCommand(ctx, &in, cmd)
	if err != nil {
		b.log.Error("command failed", "command", cmd.name, "chat_id", in.chat.ID, "error", err)
		r = reply{text: "⚠️ Something went wrong on my side. Please try again in a minute."}
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
			return reply{text: unknownCommandText(cmd.name)}, nil
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

func (b *Bot) startCommand(ctx context.Context, in incoming, chat subscriptions.Chat, _ string) (reply, error) {
	kb, err := b.topicsKeyboard(ctx, in)
	return reply{text: welcomeText(chat), keyboard: kb}, err
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

func (b *Bot) topicsCommand(ctx context.Context, in incoming, _ subscriptions.Chat, _ string) (reply, error) {
	kb, err := b.topicsKeyboard(ctx, in)
	return reply{text: topicsText(), keyboard: kb}, err
}

func (b *Bot) listCommand(ctx context.Context, in incoming, chat subscriptions.Chat, _ string) (reply, error) {
	subs, err := b.store.Subscriptions(ctx, in.chat.ID)
	return reply{text: listText(chat, subs, b.store.Catalog())}, err
}

func (b *Bot) helpCommand(_ context.Context, in incoming, _ subscriptions.Chat, _ string) (reply, error) {
	return reply{text: helpText(b.cmds.list, placeOf(in), placeOf(in) == inPrivate && b.admins[in.from])}, nil
}

func (b *Bot) stopCommand(ctx context.Context, in incoming, _ subscriptions.Chat, _ string) (reply, error) {
	if err := b.store.ForgetChat(ctx, in.chat.ID); err != nil {
		return reply{}, err
	}
	return reply{text: stoppedText()}, nil
}

func (b *Bot) topicsKeyboard(ctx context.Context, in incoming) (*models.InlineKeyboardMarkup, error) {
	subs, err := b.store.Subscriptions(ctx, in.chat.ID)
	if err != nil {
		return nil, err
	}
	return topicsKeyboard(b.store.Catalog(), subs, in.threadID, 0), nil
}

func (b *Bot) follow(ctx context.Context, in incoming, _ subscriptions.Chat, args string) (reply, error) {
	if args == "" {
		return reply{text: followUsageText()}, nil
	}
	if ct, ok := b.store.Catalog().Compiled(args); ok {
		t := ct.Topic
		created, err := b.store.FollowTopic(ctx, in.chat.ID, in.threadID, t.Name)
		if errors.Is(err, subscriptions.ErrTooManySubscriptions) {
			return reply{text: tooManyText()}, nil
		}
		if err != nil || !created {
			return reply{text: followedText(t.Name, "the catalog topic "+t.Name, created)}, err
		}
		return reply{text: followedText(t.Name, "the catalog topic "+t.Name, created) + b.followPreview(ctx, in, ct)}, nil
	}
	q, err := match.ParseQuery(args)
	if err != nil {
		return reply{text: queryErrorText(err)}, nil
	}
	created, err := b.store.Follow(ctx, in.chat.ID, in.threadID, args)
	if errors.Is(err, subscriptions.ErrTooManySubscriptions) {
		return reply{text: tooManyText()}, nil
	}
	if err != nil || !created {
		return reply{text: followedText(args, q.String(), created)}, err
	}
	return reply{text: followedText(args, q.String(), created) + b.followPreview(ctx, in, q)}, nil
}

func (b *Bot) unfollow(ctx context.Context, in incoming, _ subscriptions.Chat, args string) (reply, error) {
	subs, err := b.store.Subscriptions(ctx, in.chat.ID)
	if err != nil {
		return reply{}, err
	}
	if args == "" {
		return reply{text: unfollowPickText(len(subs)), keyboard: unfollowKeyboard(b.store.Catalog(), subs)}, nil
	}
	for _, s := range subs {
		if s.ThreadID != in.threadID {
			continue
		}
		if s.Query == args || (s.Topic != "" && s.Topic == match.TopicKey(args)) {
			removed, err := b.store.Unfollow(ctx, in.chat.ID, s.ID)
			return reply{text: unfollowedText(s.Label(b.store.Catalog()), removed)}, err
		}
	}
	return reply{text: unfollowedText(args, false)}, nil
}

func (b *Bot) digestCommand(ctx context.Context, in incoming, chat subscriptions.Chat, args string) (reply, error) {
	switch strings.ToLower(args) {
	case "":
		return reply{text: digestUsageText(chat)}, nil
	case "off":
		chat, err := b.store.SetDigestTime(ctx, in.chat.ID, "", in.threadID)
		return reply{text: digestSetText(chat)}, err
	}
	if _, _, err := subscriptions.ParseClock(args); err != nil {
		return reply{text: "⚠️ " + quote(args) + " is not a time of day. " + digestUsageText(chat)}, nil
	}
	chat, err := b.store.SetDigestTime(ctx, in.chat.ID, args, in.threadID)
	return reply{text: digestSetText(chat)}, err
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
		answer = "This message is too old; send the command again."
		return
	}
	in := incoming{chat: chatInfo(m.Chat), from: q.From.ID}
	if m.IsTopicMessage {
		in.threadID = m.MessageThreadID
	}
	button, arg := lookupButton(b.buttons, q.Data)
	if button == nil {
		answer = "This button no longer works; send the command again."
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
		answer = "Something went wrong; please try again."
	}
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

func (b *Bot) unfollowButton(ctx context.Context, in incoming, m *models.Message, arg string) (string, error) {
	var id int64
	for _, r := range arg {
		if r < '0' || r > '9' {
			return "This button no longer works.", nil
		}
		id = id*10 + int64(r-'0')
	}
	subs, err := b.store.Subscriptions(ctx, in.chat.ID)
	if err != nil {
		return "", err
	}
	label := ""
	for _, s := range subs {
		if s.ID == id {
			label = s.Label(b.store.Catalog())
		}
	}
	removed, err := b.store.Unfollow(ctx, in.chat.ID, id)
	if err != nil || !removed {
		return "Already gone.", err
	}
	subs, err = b.store.Subscriptions(ctx, in.chat.ID)
	if err != nil {
		return "", err
	}
	text := unfollowPickText(len(subs))
	if in.replyTo != 0 {
		text = channelNote(in.chat.Title) + text // as send headed it
	}
	b.editMessage(ctx, m, reply{text: text, keyboard: unfollowKeyboard(b.store.Catalog(), subs)})
	return "Stopped following " + label, nil
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
		if _, _, err := b.store.StartChat(ctx, chatInfo(u.Chat)); err != nil {
			b.log.Error("start chat failed", "chat_id", u.Chat.ID, "error", err)
		}
		if joined(u) && u.Chat.Type != models.ChatTypeChannel {
			in := incoming{chat: chatInfo(u.Chat)}
			b.send(ctx, in, reply{text: groupWelcomeText(in.chat.Title)})
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
