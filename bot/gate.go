package bot

import (
	"context"
	"errors"
	"livealert/bot/locale"

	"github.com/go-telegram/bot/models"

	"livealert/subscriptions"
)

// The gate is the one place that decides whether a command or a button press may run: it
// finds the chat the update acts on (this chat, or the channel a private chat manages), checks
// the place and the permission the command table or the button table declares, and either
// lets it through or says why not. See command_table.go for what the permissions mean.

// rule is what the gate checks.
type rule struct {
	access access
	where  place
	// own: act on this chat even when it is a private chat managing a channel.
	own bool
}

// refusal is why the gate stopped an update; refusedNot when it did not.
type refusal int

const (
	refusedNot      refusal = iota
	refusedPlace            // the command does not run in this kind of chat
	refusedAdmin            // only the chat's administrators may
	refusedOperator         // only the bot's operators may
)

// gate returns in as it should be carried out and whether it may be. Operators' commands are
// carried out in the operator's private chat, wherever they were sent.
func (b *Bot) gate(ctx context.Context, in incoming, r rule) (incoming, refusal, error) {
	if r.where&placeOf(in) == 0 {
		return in, refusedPlace, nil
	}
	var err error
	if !r.own {
		if in, err = b.actingChat(ctx, in); err != nil {
			return in, refusedNot, err
		}
	}
	if in, err = b.withLocale(ctx, in); err != nil {
		return in, refusedNot, err
	}
	switch r.access {
	case chatAdmins:
		ok, err := b.mayChange(ctx, in)
		if err != nil || !ok {
			return in, refusedAdmin, err
		}
	case operators:
		if in.from == 0 || !b.admins[in.from] {
			return in, refusedOperator, nil
		}
		in.chat = subscriptions.ChatInfo{ID: in.from, Type: string(models.ChatTypePrivate), Language: in.chat.Language}
		in.replyTo, in.threadID = 0, 0
		if in, err = b.withLocale(ctx, in); err != nil {
			return in, refusedNot, err
		}
	}
	return in, refusedNot, nil
}

// withLocale sets in.l to the language of the chat in answers in (in.replyTo or in.chat): its
// stored language, or the default for a chat stored without one; a chat not stored yet keeps
// in.l, the user's.
func (b *Bot) withLocale(ctx context.Context, in incoming) (incoming, error) {
	id := in.chat.ID
	if in.replyTo != 0 {
		id = in.replyTo
	}
	lang, found, err := b.store.ChatLanguage(ctx, id)
	if err != nil || !found {
		return in, err
	}
	in.l = b.chatLocale(lang)
	return in, nil
}

// mayChange reports whether the sender of in may change in.chat: always in a private chat; in
// a channel for its own post or one of its administrators; in a group for an administrator,
// an anonymous one (who writes as the group itself) included. Administrators are asked of
// Telegram at most once per adminCacheTTL, so a demoted one loses the right within it.
func (b *Bot) mayChange(ctx context.Context, in incoming) (bool, error) {
	switch {
	case in.chat.Type == string(models.ChatTypePrivate):
		return true, nil
	case in.fromChat != 0 && in.fromChat == in.chat.ID:
		return true, nil // an anonymous admin, or a channel's own post
	case in.from == 0:
		return in.chat.Type == string(models.ChatTypeChannel), nil
	}
	return b.isAdmin(ctx, in.chat.ID, in.from)
}

// actingChat returns in as it acts: for a private chat that manages a channel, on the channel,
// answering in the private chat (see channel.go).
func (b *Bot) actingChat(ctx context.Context, in incoming) (incoming, error) {
	if in.chat.Type != string(models.ChatTypePrivate) {
		return in, nil
	}
	ch, err := b.store.LinkedChannel(ctx, in.chat.ID)
	if errors.Is(err, subscriptions.ErrNotFound) {
		return in, nil
	}
	if err != nil {
		return in, err
	}
	in.replyTo = in.chat.ID
	in.chat = subscriptions.ChatInfo{ID: ch.ID, Type: ch.Type, Title: ch.Title, Language: ch.Language}
	in.threadID = 0
	return in, nil
}

func notAdminText(l *locale.Locale) string { return l.T("not_admin") }

// commandRefusal is the answer to a command the gate refused; "" sends none.
func commandRefusal(why refusal, in incoming, c *commandSpec) string {
	switch why {
	case refusedPlace:
		if c.elsewhere != nil {
			return c.elsewhere(in.l)
		}
	case refusedAdmin:
		if in.replyTo != 0 {
			return channelUserNotAdminText(in.l, in.chat.Title)
		}
		return notAdminText(in.l)
	case refusedOperator:
		if in.chat.Type == string(models.ChatTypePrivate) {
			return operatorsOnlyText(in.l, c.name)
		}
	}
	return ""
}

// buttonRefusal is the callback answer to a press the gate refused.
func buttonRefusal(why refusal, in incoming) string {
	if why == refusedAdmin && in.replyTo != 0 {
		return in.l.T("not_admin_of", "Title", in.chat.Title)
	}
	if why == refusedOperator {
		return in.l.T("operators_only_answer")
	}
	return in.l.T("not_admin_answer")
}
