package bot

import (
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"livealert/subscriptions"
)

// Callback data prefixes. Data is at most 64 bytes: topic keys are bounded by the config
// check, subscription ids are numbers.
const (
	toggleTopicPrefix = "t:"
	unfollowPrefix    = "u:"
)

// topicsKeyboard lays out the catalog two topics a row, marking those the chat follows in
// the thread.
func topicsKeyboard(catalog *subscriptions.Catalog, subs []subscriptions.Subscription, threadID int) *models.InlineKeyboardMarkup {
	following := map[string]bool{}
	for _, s := range subs {
		if s.Topic != "" && s.ThreadID == threadID {
			following[s.Topic] = true
		}
	}
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{}}
	var row []models.InlineKeyboardButton
	for _, t := range catalog.Topics() {
		key := subscriptions.TopicKey(t.Name)
		mark := "▫️ "
		if following[key] {
			mark = "✅ "
		}
		row = append(row, models.InlineKeyboardButton{Text: mark + t.Name, CallbackData: toggleTopicPrefix + key})
		if len(row) == 2 {
			kb.InlineKeyboard = append(kb.InlineKeyboard, row)
			row = nil
		}
	}
	if len(row) > 0 {
		kb.InlineKeyboard = append(kb.InlineKeyboard, row)
	}
	return kb
}

// unfollowKeyboard offers one button per subscription.
func unfollowKeyboard(catalog *subscriptions.Catalog, subs []subscriptions.Subscription) *models.InlineKeyboardMarkup {
	kb := &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{}}
	for _, s := range subs {
		label := s.Label(catalog)
		if s.Topic == "" {
			label = "“" + truncate(label, 50) + "”"
		}
		kb.InlineKeyboard = append(kb.InlineKeyboard, []models.InlineKeyboardButton{{
			Text:         "✖️ " + label,
			CallbackData: unfollowPrefix + strconv.FormatInt(s.ID, 10),
		}})
	}
	return kb
}

// parseCallback splits callback data into its prefix and argument.
func parseCallback(data string) (prefix, arg string) {
	for _, p := range []string{toggleTopicPrefix, unfollowPrefix, alertMutePrefix, alertDigestPrefix, alertUnfollowPrefix, alertUnmutePrefix, alertBothPrefix} {
		if rest, ok := strings.CutPrefix(data, p); ok {
			return p, rest
		}
	}
	return "", data
}
