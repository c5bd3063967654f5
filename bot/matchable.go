package bot

import (
	"context"
	"livealert/bot/locale"
	"strings"

	"livealert/subscriptions"
	"livealert/subscriptions/match"
)

// matchableFor resolves what /latest and /search look for: a catalog topic by name, else a
// query. It returns the label to show, or a reply explaining a bad query (ok false).
func (b *Bot) matchableFor(l *locale.Locale, args, command string) (m subscriptions.Matchable, label string, r reply, ok bool) {
	if ct, found := b.store.Catalog().Compiled(args); found {
		return ct, topicName(l, ct.Topic), reply{}, true
	}
	q, err := match.ParseQuery(args)
	if err != nil {
		return nil, "", reply{text: queryErrorText(l, err, command)}, false
	}
	return q, oneLine(args), reply{}, true
}

// chatMatchable is what a chat follows, as one thing to match: any of its subscriptions.
type chatMatchable []subscriptions.Matchable

func (c chatMatchable) Match(d *match.Document) bool {
	for _, m := range c {
		if m.Match(d) {
			return true
		}
	}
	return false
}

// followed returns everything the chat follows as one Matchable; nil when nothing.
func (b *Bot) followed(ctx context.Context, chatID int64) (chatMatchable, error) {
	subs, err := b.store.Subscriptions(ctx, chatID)
	if err != nil {
		return nil, err
	}
	var all chatMatchable
	for _, s := range subs {
		if s.Topic != "" {
			if ct, ok := b.store.Catalog().Compiled(s.Topic); ok {
				all = append(all, ct)
			}
		} else if q, err := match.ParseQuery(s.Query); err == nil {
			all = append(all, q)
		}
	}
	return all, nil
}

// oneLine joins the lines of s with spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
