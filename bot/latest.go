package bot

import (
	"context"
	"fmt"
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
			return reply{text: latestNothingFollowedText()}, nil
		}
		m = all
	} else {
		q, l, r, ok := b.matchableFor(args, "latest")
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
		return reply{text: latestNoneText(label)}, nil
	}
	head := "🕑 <b>Latest for this chat</b>"
	if label != "" {
		head = fmt.Sprintf("🕑 <b>Latest for</b> <code>%s</code>", quote(label))
	}
	return reply{text: head + "\n" + render.EntryLines(entries, b.opts.Now(), chat.TimeZone, b.sources)}, nil
}

func latestNothingFollowedText() string {
	return "This chat follows nothing yet. Try <code>/latest drones</code>, or /topics to follow something."
}

func latestNoneText(label string) string {
	if label == "" {
		return "Nothing I have stored matches what this chat follows yet."
	}
	return fmt.Sprintf("Nothing I have stored matches <code>%s</code> yet.", quote(label))
}
