package bot

import (
	"context"
	"livealert/bot/locale"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"livealert/bot/render"
	"livealert/subscriptions"
)

// searchPageSize is how many entries a page of /search shows.
const searchPageSize = 5

// The message search_head starts the first line of a /search answer; the rest of the line is
// what was searched for, which a page button reads back from the message (callback data is too
// short to carry a query), in whichever language the answer was written.

// search is /search <query|topic>: the stored entries that match, newest first, a page at a
// time with buttons.
func (b *Bot) search(ctx context.Context, in incoming, _ subscriptions.Chat, args string) (reply, error) {
	if args == "" {
		return reply{text: in.l.T("search_usage")}, nil
	}
	return b.searchResults(ctx, in, args, 0)
}

// searchResults renders page of the results for args.
func (b *Bot) searchResults(ctx context.Context, in incoming, args string, page int) (reply, error) {
	m, label, r, ok := b.matchableFor(in.l, args, "search")
	if !ok {
		return r, nil
	}
	chat, err := b.store.Chat(ctx, in.chat.ID)
	if err != nil {
		return reply{}, err
	}
	entries, err := b.store.RecentMatches(ctx, m, time.Time{})
	if err != nil {
		return reply{}, err
	}
	head := in.l.T("search_head") + "<code>" + quote(label) + "</code>"
	if len(entries) == 0 {
		return reply{text: head + in.l.T("search_none")}, nil
	}
	pages := (len(entries) + searchPageSize - 1) / searchPageSize
	page = min(max(page, 0), pages-1)
	shown := entries[page*searchPageSize : min(len(entries), (page+1)*searchPageSize)]
	text := head + "\n" + in.l.T("search_count", "Entries", in.l.N("entries", len(entries)))
	if pages > 1 {
		text += in.l.T("search_page", "Page", page+1, "Pages", pages)
	}
	text += "\n" + render.EntryLines(in.l, shown, b.opts.Now(), chat.TimeZone, b.renderSources())
	var kb *models.InlineKeyboardMarkup
	if pages > 1 {
		kb = &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{pageRow(in.l, searchPagePrefix, page, pages)}}
	}
	return reply{text: text, keyboard: kb}, nil
}

// searchPage shows another page of the search under m, in place.
func (b *Bot) searchPage(ctx context.Context, in incoming, m *models.Message, arg string) (string, error) {
	page, err := strconv.Atoi(arg)
	first, _, _ := strings.Cut(m.Text, "\n")
	args, found := "", false
	for _, lang := range locale.Languages() {
		if args, found = strings.CutPrefix(first, locale.For(lang).T("search_head")); found {
			break
		}
	}
	if err != nil || !found || args == "" {
		return in.l.T("search_button_gone"), nil
	}
	r, err := b.searchResults(ctx, in, args, page)
	if err != nil {
		return "", err
	}
	b.editMessage(ctx, m, r)
	return "", nil
}
