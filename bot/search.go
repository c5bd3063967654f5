package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"livealert/bot/render"
	"livealert/subscriptions"
)

// searchPageSize is how many entries a page of /search shows.
const searchPageSize = 5

// searchHead starts the first line of a /search answer; the rest of the line is what was
// searched for, which a page button reads back from the message (callback data is too short
// to carry a query).
const searchHead = "🔎 Search: "

// search is /search <query|topic>: the stored entries that match, newest first, a page at a
// time with buttons.
func (b *Bot) search(ctx context.Context, in incoming, _ subscriptions.Chat, args string) (reply, error) {
	if args == "" {
		return reply{text: searchUsageText()}, nil
	}
	return b.searchResults(ctx, in, args, 0)
}

// searchResults renders page of the results for args.
func (b *Bot) searchResults(ctx context.Context, in incoming, args string, page int) (reply, error) {
	m, label, r, ok := b.matchableFor(args, "search")
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
	head := searchHead + "<code>" + quote(label) + "</code>"
	if len(entries) == 0 {
		return reply{text: head + "\nNothing I have stored matches it."}, nil
	}
	pages := (len(entries) + searchPageSize - 1) / searchPageSize
	page = min(max(page, 0), pages-1)
	shown := entries[page*searchPageSize : min(len(entries), (page+1)*searchPageSize)]
	text := fmt.Sprintf("%s\n%s, newest first", head, render.Plural(len(entries), "entry", "entries"))
	if pages > 1 {
		text += fmt.Sprintf(" · page %d of %d", page+1, pages)
	}
	text += "\n" + render.EntryLines(shown, b.opts.Now(), chat.TimeZone, b.sources)
	var kb *models.InlineKeyboardMarkup
	if pages > 1 {
		kb = &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{pageRow(searchPagePrefix, page, pages)}}
	}
	return reply{text: text, keyboard: kb}, nil
}

// searchPage shows another page of the search under m, in place.
func (b *Bot) searchPage(ctx context.Context, in incoming, m *models.Message, arg string) (string, error) {
	page, err := strconv.Atoi(arg)
	first, _, _ := strings.Cut(m.Text, "\n")
	args, found := strings.CutPrefix(first, searchHead)
	if err != nil || !found || args == "" {
		return "This button no longer works; send /search again.", nil
	}
	r, err := b.searchResults(ctx, in, args, page)
	if err != nil {
		return "", err
	}
	b.editMessage(ctx, m, r)
	return "", nil
}

func searchUsageText() string {
	return "Search what I have stored: <code>/search drones</code>, <code>/search \"peace talks\" -Gaza</code> " +
		"or a topic, <code>/search Belgorod</code>. Newest first."
}
