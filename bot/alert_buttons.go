package bot

import (
	"context"
	"strconv"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"livealert/bot/render"
	"livealert/subscriptions"
)

// Callback data of the buttons under an alert: a prefix and a subscription id, well under
// Telegram's 64 bytes.
const (
	alertMutePrefix     = "am:" // mute the subscription for alertMuteFor
	alertDigestPrefix   = "ad:" // digest only
	alertUnfollowPrefix = "au:" // unfollow
	alertUnmutePrefix   = "ax:" // undo a mute
	alertBothPrefix     = "ab:" // undo digest only: alerts and digest again
)

// alertMuteFor is how long "Mute <topic> 24h" mutes.
const alertMuteFor = 24 * time.Hour

// alertKeyboard returns the buttons under a message of alerts (one, or several coalesced):
// for the subscription of the first alert's first label in its thread. It is nil for a
// digest, or when that subscription is gone.
func (b *Bot) alertKeyboard(ctx context.Context, rows []subscriptions.Delivery) *models.InlineKeyboardMarkup {
	if len(rows) == 0 || rows[0].Kind != subscriptions.KindAlert || len(rows[0].Labels) == 0 {
		return nil
	}
	d := rows[0]
	// The matcher's snapshot knows every subscription of an active chat, without a query.
	// When it has none (gone, or a chat or topic the matcher leaves out) the store decides.
	if id, ok := b.store.Matcher().SubscriptionFor(d.ChatID, d.ThreadID, d.Labels[0]); ok {
		return alertButtons(id, d.Labels[0])
	}
	subs, err := b.store.Subscriptions(ctx, d.ChatID)
	if err != nil {
		b.log.Warn("alert keyboard failed", "chat_id", d.ChatID, "error", err)
		return nil
	}
	for _, s := range subs {
		if s.ThreadID == d.ThreadID && s.Label(b.store.Catalog()) == d.Labels[0] {
			return alertButtons(s.ID, d.Labels[0])
		}
	}
	return nil
}

// alertButtons lays out "Mute <label> 24h", "Digest only" and "Unfollow <label>".
func alertButtons(subscriptionID int64, label string) *models.InlineKeyboardMarkup {
	id := strconv.FormatInt(subscriptionID, 10)
	short := render.Truncate(label, 24)
	return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{
		{
			{Text: "🔕 Mute " + short + " 24h", CallbackData: alertMutePrefix + id},
			{Text: "🗓 Digest only", CallbackData: alertDigestPrefix + id},
		},
		{{Text: "✖️ Unfollow " + short, CallbackData: alertUnfollowPrefix + id}},
	}}
}

// undoButton is the single button left under an alert after a mute or "digest only".
func undoButton(text, data string) *models.InlineKeyboardMarkup {
	return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: text, CallbackData: data}}}}
}

// alertButton carries out one of an alert's buttons, edits the alert to confirm it (a line
// below the alert's text, and the keyboard replaced by an undo button) and returns the
// toast to answer with.
func (b *Bot) alertButton(ctx context.Context, in incoming, m *models.Message, prefix, arg string) (string, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return "This button no longer works.", nil
	}
	subs, err := b.store.Subscriptions(ctx, in.chat.ID)
	if err != nil {
		return "", err
	}
	var sub subscriptions.Subscription
	for _, s := range subs {
		if s.ID == id {
			sub = s
		}
	}
	if sub.ID == 0 {
		b.confirmAlert(ctx, m, "", nil)
		return "This chat no longer follows that.", nil
	}
	chat, err := b.store.Chat(ctx, in.chat.ID)
	if err != nil {
		return "", err
	}
	label := sub.Label(b.store.Catalog())
	short := render.Truncate(label, 24)
	switch prefix {
	case alertMutePrefix:
		until := b.opts.Now().Add(alertMuteFor).Truncate(time.Minute)
		if _, err := b.store.MuteSubscription(ctx, in.chat.ID, id, until); err != nil {
			return "", err
		}
		b.confirmAlert(ctx, m, "🔕 "+label+" muted until "+until.In(chat.TimeZone).Format("Mon 2 Jan 15:04 MST"),
			undoButton("🔔 Unmute "+short, alertUnmutePrefix+arg))
		return "Muted " + short + " for 24 hours", nil
	case alertDigestPrefix:
		if _, err := b.store.SetMode(ctx, in.chat.ID, id, subscriptions.ModeDigest); err != nil {
			return "", err
		}
		b.confirmAlert(ctx, m, "🗓 "+label+": daily digest only from now on",
			undoButton("🔔 Alerts for "+short+" again", alertBothPrefix+arg))
		return short + ": digest only", nil
	case alertUnfollowPrefix:
		if _, err := b.store.Unfollow(ctx, in.chat.ID, id); err != nil {
			return "", err
		}
		b.confirmAlert(ctx, m, "✖️ Unfollowed "+label, nil)
		return "Stopped following " + short, nil
	case alertUnmutePrefix:
		if _, err := b.store.MuteSubscription(ctx, in.chat.ID, id, time.Time{}); err != nil {
			return "", err
		}
		b.confirmAlert(ctx, m, "", alertButtons(id, label))
		return short + " unmuted", nil
	case alertBothPrefix:
		if _, err := b.store.SetMode(ctx, in.chat.ID, id, subscriptions.ModeBoth); err != nil {
			return "", err
		}
		b.confirmAlert(ctx, m, "", alertButtons(id, label))
		return short + ": alerts and digest", nil
	}
	return "This button no longer works.", nil
}

// confirmPrefixes open the confirmation lines confirmAlert adds.
var confirmPrefixes = []string{"🔕 ", "🗓 ", "✖️ "}

// confirmAlert edits an alert the bot sent: its text as sent (kept with its formatting by
// resending its entities) with line appended below — replacing an earlier confirmation; ""
// removes it — and kb as its keyboard (nil removes the keyboard).
func (b *Bot) confirmAlert(ctx context.Context, m *models.Message, line string, kb *models.InlineKeyboardMarkup) {
	text := m.Text
	if i := strings.LastIndex(text, "\n\n"); i >= 0 {
		for _, p := range confirmPrefixes {
			if strings.HasPrefix(text[i+2:], p) && !entityBeyond(m.Entities, render.Length(text[:i])) {
				text = text[:i]
				break
			}
		}
	}
	if line != "" {
		text += "\n\n" + line
	}
	p := &tgbot.EditMessageTextParams{
		ChatID: m.Chat.ID, MessageID: m.ID, Text: text, Entities: m.Entities,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()},
	}
	if kb != nil {
		p.ReplyMarkup = kb
	}
	if _, err := b.tg.EditMessageText(ctx, p); err != nil {
		b.log.Warn("edit alert failed", "chat_id", m.Chat.ID, "error", b.redact(err))
	}
}

// entityBeyond reports whether an entity ends after offset (in UTF-16 units).
func entityBeyond(entities []models.MessageEntity, offset int) bool {
	for _, e := range entities {
		if e.Offset+e.Length > offset {
			return true
		}
	}
	return false
}
