package bot

import (
	"fmt"
	"livealert/bot/locale"
	"strconv"

	"github.com/go-telegram/bot/models"

	"livealert/bot/render"
	"livealert/subscriptions"
	"livealert/subscriptions/match"
)

// Callback data prefixes. Data is at most 64 bytes: topic keys are bounded by the config
// check, subscription ids are numbers.
const (
	toggleTopicPrefix = "t:"
	unfollowPrefix    = "u:"
	topicsPagePrefix  = "tp:"
	searchPagePrefix  = "sp:"
)

// Topics are laid out two a row, topicRowsPerPage rows a page.
const (
	topicsPerRow     = 2
	topicRowsPerPage = 8
	topicsPerPage    = topicsPerRow * topicRowsPerPage
)

// topicPages is how many pages the catalog's keyboard has.
func topicPages(catalog *match.Catalog) int {
	return max(1, (len(catalog.Topics())+topicsPerPage-1)/topicsPerPage)
}

// topicPage is the page of the keyboard that shows the topic with that key, 0 if none.
func topicPage(catalog *match.Catalog, key string) int {
	for i, t := range catalog.Topics() {
		if match.TopicKey(t.Name) == key {
			return i / topicsPerPage
		}
	}
	return 0
}

// topicsKeyboard lays out one page of the catalog two topics a row, marking those the chat
// follows in the thread; past one page, a last row moves between pages.
func topicsKeyboard(l *locale.Locale, catalog *match.Catalog, subs []subscriptions.Subscription, threadID, page int) *models.InlineKeyboardMarkup {
	following := map[string]bool{}
	for _, s := range subs {
		if s.Topic != "" && s.ThreadID == threadID {
			following[s.Topic] = true
		}
	}
	pages := topicPages(catalog)
	page = min(max(page, 0), pages-1)
	topics := catalog.Topics()
	topics = topics[page*topicsPerPage : min(len(topics), (page+1)*topicsPerPage)]
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{}}
	var row []models.InlineKeyboardButton
	for _, t := range topics {
		key := match.TopicKey(t.Name)
		mark := "▫️ "
		if following[key] {
			mark = "✅ "
		}
		row = append(row, models.InlineKeyboardButton{Text: mark + topicName(l, t), CallbackData: toggleTopicPrefix + key})
		if len(row) == topicsPerRow {
			kb.InlineKeyboard = append(kb.InlineKeyboard, row)
			row = nil
		}
	}
	if len(row) > 0 {
		kb.InlineKeyboard = append(kb.InlineKeyboard, row)
	}
	if pages > 1 {
		kb.InlineKeyboard = append(kb.InlineKeyboard, pageRow(l, topicsPagePrefix, page, pages))
	}
	return kb
}

// pageRow is a keyboard row moving between pages: ‹ and › when there is a page that way, and
// the page number, which does nothing when pressed.
func pageRow(l *locale.Locale, prefix string, page, pages int) []models.InlineKeyboardButton {
	var row []models.InlineKeyboardButton
	if page > 0 {
		row = append(row, models.InlineKeyboardButton{Text: l.T("page_previous"), CallbackData: prefix + strconv.Itoa(page-1)})
	}
	row = append(row, models.InlineKeyboardButton{Text: fmt.Sprintf("%d / %d", page+1, pages), CallbackData: prefix + strconv.Itoa(page)})
	if page < pages-1 {
		row = append(row, models.InlineKeyboardButton{Text: l.T("page_next"), CallbackData: prefix + strconv.Itoa(page+1)})
	}
	return row
}

// unfollowKeyboard offers one button per subscription.
func unfollowKeyboard(l *locale.Locale, catalog *match.Catalog, subs []subscriptions.Subscription) *models.InlineKeyboardMarkup {
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{}}
	for _, s := range subs {
		label := label(l, s, catalog)
		if s.Topic == "" {
			label = "“" + render.Truncate(label, 50) + "”"
		}
		kb.InlineKeyboard = append(kb.InlineKeyboard, []models.InlineKeyboardButton{{
			Text:         "✖️ " + label,
			CallbackData: unfollowPrefix + strconv.FormatInt(s.ID, 10),
		}})
	}
	return kb
}
