package bot

import (
	"context"
	"livealert/bot/locale"
	"time"

	"livealert/bot/render"
	"livealert/subscriptions"
)

// latestCount is how many entries /latest shows.
const latestCount = 5

// latest is /latest [topic|query]: the newest stored entries that match it, or, with no
// argument, that match anything the chat follows.
func (b *Bot) latest(ctx context.Context, in incoming, _ subscriptions.Chat, args string) (reply, error) {
	chat, err := b.store.Chat(ctx, in.chat.ID)
	if err != nil {
		return reply{}, err
	}
	label := ""
	var m subscriptions.Matchable
	if args == "" {
		all, err := b.followed(ctx, in.chat.ID)
		if err != nil {
			return reply{}, err
		}
		if len(all) == 0 {
			return reply{text: in.l.T("latest_nothing_followed")}, nil
		}
		m = all
	} else {
		q, l, r, ok := b.matchableFor(in.l, args, "latest")
		if !ok {
			return r, nil
		}
		m, label = q, l
	}
	entries, err := b.store.RecentMatches(ctx, m, time.Time{})
	if err != nil {
		return reply{}, err
	}
	entries = entries[:min(len(entries), latestCount)]
	if len(entries) == 0 {
		return reply{text: latestNoneText(in.l, label)}, nil
	}
	head := in.l.T("latest_head_chat")
	if label != "" {
		head = in.l.T("latest_head", "Label", quote(label))
	}
	return reply{text: head + "\n" + render.EntryLines(in.l, entries, b.opts.Now(), chat.TimeZone, b.renderSources())}, nil
}

func latestNoneText(l *locale.Locale, label string) string {
	if label == "" {
		return l.T("latest_none_chat")
	}
	return l.T("latest_none", "Label", quote(label))
}
