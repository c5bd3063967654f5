package bot

import (
	"context"
	"errors"
	"fmt"
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
		return reply{text: channelOnlyPrivateText()}, nil
	}
	switch strings.ToLower(args) {
	case "":
		ch, err := b.store.LinkedChannel(ctx, in.chat.ID)
		if errors.Is(err, subscriptions.ErrNotFound) {
			return reply{text: channelUsageText()}, nil
		}
		return reply{text: channelLinkedText(ch.Title)}, err
	case "off":
		removed, err := b.store.UnlinkChannel(ctx, in.chat.ID)
		return reply{text: channelOffText(removed)}, err
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
		return reply{text: channelNotFoundText(args)}, nil
	}
	if info.Type != models.ChatTypeChannel {
		return reply{text: channelNotChannelText(args)}, nil
	}
	botAdmin, err := b.askAdmin(ctx, info.ID, b.me.ID) // fresh: the user may just have fixed it
	if err != nil {
		return reply{}, err
	}
	if !botAdmin {
		return reply{text: channelBotNotAdminText(info.Title)}, nil
	}
	userAdmin, err := b.askAdmin(ctx, info.ID, in.from)
	if err != nil {
		return reply{}, err
	}
	if !userAdmin {
		return reply{text: channelUserNotAdminText(info.Title)}, nil
	}
	title := info.Title
	if title == "" {
		title = "@" + info.Username
	}
	if _, _, err := b.store.StartChat(ctx, subscriptions.ChatInfo{ID: info.ID, Type: string(info.Type), Title: title}); err != nil {
		return reply{}, err
	}
	if err := b.store.LinkChannel(ctx, in.chat.ID, info.ID); err != nil {
		return reply{}, err
	}
	return reply{text: channelLinkedText(title)}, nil
}

func channelUsageText() string {
	return "To manage a channel's alerts from here, make me an administrator of the channel, " +
		"then send <code>/channel @channelname</code>. Commands here then act on the channel " +
		"until <code>/channel off</code>."
}

func channelOnlyPrivateText() string {
	return "Send <code>/channel @channelname</code> to me in a private chat to manage a channel's alerts."
}

func channelLinkedText(title string) string {
	return fmt.Sprintf("📣 Managing the channel <b>%s</b>: /follow, /unfollow, /topics, /list, "+
		"/latest and /search here act on it, and its alerts go to the channel.\n"+
		"<code>/channel off</code> goes back to this chat.", render.Esc(title))
}

func channelOffText(removed bool) string {
	if !removed {
		return "This chat manages no channel. " + channelUsageText()
	}
	return "Done: commands here act on this chat again."
}

func channelNotFoundText(name string) string {
	return fmt.Sprintf("⚠️ I can't find the channel <b>%s</b>. Check the name, and that I am an administrator there.", quote(name))
}

func channelNotChannelText(name string) string {
	return fmt.Sprintf("⚠️ <b>%s</b> is not a channel. In a group, send the commands in the group itself.", quote(name))
}

func channelBotNotAdminText(title string) string {
	return fmt.Sprintf("⚠️ I am not an administrator of <b>%s</b>, so I could not post alerts there. Add me as an administrator, then try again.", render.Esc(title))
}

func channelUserNotAdminText(title string) string {
	return fmt.Sprintf("🔒 Only administrators of <b>%s</b> can manage its alerts.", render.Esc(title))
}

// channelNote heads replies sent for a linked channel in the private chat.
func channelNote(title string) string {
	return fmt.Sprintf("📣 <i>Channel %s</i>\n", render.Esc(title))
}
