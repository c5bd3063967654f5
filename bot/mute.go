package bot

import (
	"context"
	"strings"
	"time"

	"livealert/subscriptions"
)

// muteCommand mutes the chat's instant alerts for a while (/mute 2h, /mute 1d, /mute off), or
// one subscription (/mute drones 1d, /mute drones off).
func (b *Bot) muteCommand(ctx context.Context, in incoming, chat subscriptions.Chat, args string) (reply, error) {
	if args == "" {
		return reply{text: muteUsageText(in.l, chat, b.opts.Now())}, nil
	}
	what, last := "", args
	if i := strings.LastIndexByte(args, ' '); i >= 0 {
		what, last = strings.TrimSpace(args[:i]), args[i+1:]
	}
	var until time.Time
	if !strings.EqualFold(last, "off") {
		d, err := subscriptions.ParseMuteDuration(last)
		if err != nil {
			return reply{text: in.l.T("mute_bad", "Value", quote(last)) + muteUsageText(in.l, chat, b.opts.Now())}, nil
		}
		until = b.opts.Now().Add(d).Truncate(time.Minute)
	}
	if what == "" {
		chat, err := b.store.MuteChat(ctx, in.chat.ID, until)
		return reply{text: chatMutedText(in.l, chat, b.opts.Now())}, err
	}
	sub, ok, err := b.findSubscription(ctx, in, what)
	if err != nil || !ok {
		return reply{text: unfollowedText(in.l, what, false)}, err
	}
	if _, err := b.store.MuteSubscription(ctx, in.chat.ID, sub.ID, until); err != nil {
		return reply{}, err
	}
	return reply{text: subscriptionMutedText(in.l, label(in.l, sub, b.store.Catalog()), until, chat.TimeZone)}, nil
}

// findSubscription finds the chat's subscription, in the thread, that what names: a topic's
// name or a query as typed, ignoring case.
func (b *Bot) findSubscription(ctx context.Context, in incoming, what string) (subscriptions.Subscription, bool, error) {
	subs, err := b.store.Subscriptions(ctx, in.chat.ID)
	if err != nil {
		return subscriptions.Subscription{}, false, err
	}
	for _, s := range subs {
		if s.ThreadID != in.threadID {
			continue
		}
		if strings.EqualFold(s.Query, what) || (s.Topic != "" && (s.Topic == b.topicKey(what) || strings.EqualFold(s.Label(b.store.Catalog()), what))) {
			return s, true, nil
		}
	}
	return subscriptions.Subscription{}, false, nil
}
