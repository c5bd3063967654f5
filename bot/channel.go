package bot

import (
	"context"
	"errors"
	"livealert/bot/locale"
	"strconv"
	"strings"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"livealert/bot/render"
	"livealert/subscriptions"
)

// Channels have no members to type commands, so their subscriptions are managed from a private
// chat: an admin of the channel (which the bot administers) sends `/channel @name` to the bot,
// and from then on the subscription commands and buttons in that private chat act on the
// channel, each reply saying so, until `/channel off`. The link is stored, so it survives
// restarts; the user's admin rights are checked again (getChatMember, cached briefly) on every
// change.

// channel is /channel: `@name` (or the channel's id) links, `off` unlinks, nothing shows the
// link.
func (b *Bot) channel(ctx context.Context, in incoming, _ subscriptions.Chat, args string) (reply, error) {
	if in.chat.Type != string(models.ChatTypePrivate) {
		return reply{text: channelOnlyPrivateText(in.l)}, nil
	}
	switch strings.ToLower(args) {
	case "":
		ch, err := b.store.LinkedChannel(ctx, in.chat.ID)
		if errors.Is(err, subscriptions.ErrNotFound) {
			return reply{text: channelUsageText(in.l)}, nil
		}
		return reply{text: channelLinkedText(in.l, ch.Title)}, err
	case "off":
		removed, err := b.store.UnlinkChannel(ctx, in.chat.ID)
		return reply{text: channelOffText(in.l, removed)}, err
	}
	target := any(args)
	if id, err := strconv.ParseInt(args, 10, 64); err == nil {
		target = id
	} else if !strings.HasPrefix(args, "@") {
		target = "@" + args
	}
	info, err := b.tg.GetChat(ctx, &tgbot.GetChatParams{ChatID: target})
	if err != nil {
		b.log.Info("channel not found", "channel", args, "error", b.redact(err))
		return reply{text: channelNotFoundText(in.l, args)}, nil
	}
	if info.Type != models.ChatTypeChannel {
		return reply{text: channelNotChannelText(in.l, args)}, nil
	}
	botAdmin, err := b.askAdmin(ctx, info.ID, b.me.ID) // fresh: the user may just have fixed it
	if err != nil {
		return reply{}, err
	}
	if !botAdmin {
		return reply{text: channelBotNotAdminText(in.l, info.Title)}, nil
	}
	userAdmin, err := b.askAdmin(ctx, info.ID, in.from)
	if err != nil {
		return reply{}, err
	}
	if !userAdmin {
		return reply{text: channelUserNotAdminText(in.l, info.Title)}, nil
	}
	title := info.Title
	if title == "" {
		title = "@" + info.Username
	}
	if _, _, err := b.store.StartChat(ctx, subscriptions.ChatInfo{ID: info.ID, Type: string(info.Type), Title: title, Language: string(in.l.Lang())}); err != nil {
		return reply{}, err
	}
	if err := b.store.LinkChannel(ctx, in.chat.ID, info.ID); err != nil {
		return reply{}, err
	}
	return reply{text: channelLinkedText(in.l, title)}, nil
}

func channelUsageText(l *locale.Locale) string { return l.T("channel_usage") }

func channelOnlyPrivateText(l *locale.Locale) string { return l.T("channel_only_private") }

func channelLinkedText(l *locale.Locale, title string) string {
	return l.T("channel_linked", "Title", render.Esc(title))
}

func channelOffText(l *locale.Locale, removed bool) string {
	if !removed {
		return l.T("channel_none") + channelUsageText(l)
	}
	return l.T("channel_off")
}

func channelNotFoundText(l *locale.Locale, name string) string {
	return l.T("channel_not_found", "Name", quote(name))
}

func channelNotChannelText(l *locale.Locale, name string) string {
	return l.T("channel_not_channel", "Name", quote(name))
}

func channelBotNotAdminText(l *locale.Locale, title string) string {
	return l.T("channel_bot_not_admin", "Title", render.Esc(title))
}

func channelUserNotAdminText(l *locale.Locale, title string) string {
	return l.T("channel_user_not_admin", "Title", render.Esc(title))
}

// channelNote heads replies sent for a linked channel in the private chat.
func channelNote(l *locale.Locale, title string) string {
	return l.T("channel_note", "Title", render.Esc(title))
}
