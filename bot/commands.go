package bot

import (
	"context"
	"errors"
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
	in, err := b.actingChat(ctx, in, cmd.name)
	if err != nil {
		b.log.Error("command failed", "command", cmd.name, "chat_id", in.chat.ID, "error", err)
		return
	}
	r, err := b.runCommand(ctx, in, cmd)
	if err != nil {
		b.log.Error("command failed", "command", cmd.name, "chat_id", in.chat.ID, "error", err)
		r = reply{text: "⚠️ Something went wrong on my side. Please try again in a minute."}
	}
	if r.text != "" {
		b.send(ctx, in, r)
	}
}

// runCommand carries out one command and returns the answer; an empty answer sends nothing.
func (b *Bot) runCommand(ctx context.Context, in incoming, cmd command) (reply, error) {
	switch cmd.name {
	case "help":
		return reply{text: helpText()}, nil
	case "stop":
		if err := b.store.ForgetChat(ctx, in.chat.ID); err != nil {
			return reply{}, err
		}
		return reply{text: stoppedText()}, nil
	}
	chat, _, err := b.store.StartChat(ctx, in.chat)
	if err != nil {
		return reply{}, err
	}
	if r, refused, err := b.refuseChange(ctx, in, cmd.name); refused || err != nil {
		return r, err
	}
	switch cmd.name {
	case "start":
		kb, err := b.topicsKeyboard(ctx, in)
		return reply{text: welcomeText(chat), keyboard: kb}, err
	case "topics":
		kb, err := b.topicsKeyboard(ctx, in)
		return reply{text: topicsText(), keyboard: kb}, err
	case "follow":
		return b.follow(ctx, in, cmd.args)
	case "unfollow":
		return b.unfollow(ctx, in, cmd.args)
	case "list":
		subs, err := b.store.Subscriptions(ctx, in.chat.ID)
		return reply{text: listText(chat, subs, b.store.Catalog())}, err
	case "digest":
		return b.digestCommand(ctx, in, chat, cmd.args)
	case "stats":
		return b.statsCommand(ctx, in)
	case "sources":
		return b.sourcesCommand(ctx, in)
	case "latest":
		return b.latest(ctx, in, cmd.args)
	case "search":
		return b.search(ctx, in, cmd.args)
	case "channel":
		return b.channel(ctx, in, cmd.args)
	case "timezone", "tz":
		return b.timezoneCommand(ctx, in, chat, cmd.args)
	case "mode":
		return b.modeCommand(ctx, in, cmd.args)
	case "quiet":
		return b.quietCommand(ctx, in, chat, cmd.args)
	case "mute":
		return b.muteCommand(ctx, in, chat, cmd.args)
	}
	if in.chat.Type == string(models.ChatTypePrivate) {
		return reply{text: unknownCommandText(cmd.name)}, nil
	}
	return reply{}, nil // in groups, other bots' commands are none of our business
}

func (b *Bot) topicsKeyboard(ctx context.Context, in incoming) (*models.InlineKeyboardMarkup, error) {
	subs, err := b.store.Subscriptions(ctx, in.chat.ID)
	if err != nil {
		return nil, err
	}
	return topicsKeyboard(b.store.Catalog(), subs, in.threadID, 0), nil
}

func (b *Bot) follow(ctx context.Context, in incoming, args string) (reply, error) {
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
	q, err := subscriptions.ParseQuery(args)
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

func (b *Bot) unfollow(ctx context.Context, in incoming, args string) (reply, error) {
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
		if s.Query == args || (s.Topic != "" && s.Topic == subscriptions.TopicKey(args)) {
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
		return reply{text: "⚠️ " + esc(args) + " is not a time of day. " + digestUsageText(chat)}, nil
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
	prefix, arg := parseCallback(q.Data)
	in, err := b.actingChat(ctx, in, "")
	if err != nil {
		b.log.Error("callback failed", "chat_id", in.chat.ID, "error", err)
		answer = "Something went wrong; please try again."
		return
	}
	if _, _, err := b.store.StartChat(ctx, in.chat); err != nil {
		b.log.Error("callback failed", "chat_id", in.chat.ID, "error", err)
		answer = "Something went wrong; please try again."
		return
	}
	if !readOnlyCallback(prefix) {
		ok, err := b.mayChange(ctx, in)
		if err != nil {
			b.log.Error("callback failed", "chat_id", in.chat.ID, "error", err)
			answer = "Something went wrong; please try again."
			return
		}
		if !ok {
			answer = notAdminAnswer
			return
		}
	}
	switch prefix {
	case toggleTopicPrefix:
		answer, err = b.toggleTopic(ctx, in, m, arg)
	case unfollowPrefix:
		answer, err = b.unfollowButton(ctx, in, m, arg)
	case topicsPagePrefix:
		answer, err = b.topicsPage(ctx, in, m, arg)
	case searchPagePrefix:
		answer, err = b.searchPage(ctx, in, m, arg)
	case alertMutePrefix, alertDigestPrefix, alertUnfollowPrefix, alertUnmutePrefix, alertBothPrefix:
		answer, err = b.alertButton(ctx, in, m, prefix, arg)
	default:
		answer = "This button no longer works; send the command again."
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
	kb, err := b.topicsKeyboardPage(ctx, in, topicPage(b.store.Catalog(), subscriptions.TopicKey(t.Name)))
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
	}
}
