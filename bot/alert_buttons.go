package bot

import (
	"context"
	"livealert/bot/locale"
	"slices"
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
	alertPickPrefix     = "ak:" // show the subscription's row under a message of many
)

// alertPrefixes are the prefixes of the buttons that act on one subscription of an alert.
var alertPrefixes = []string{alertMutePrefix, alertDigestPrefix, alertUnfollowPrefix, alertUnmutePrefix, alertBothPrefix}

// alertMuteFor is how long "Mute <topic> 24h" mutes.
const alertMuteFor = 24 * time.Hour

// maxAlertRows is how many subscriptions a message of alerts gives a row of buttons each;
// a message of more has a picker instead (see alertKeyboardFor).
const maxAlertRows = 3

// alertSubscription is a subscription a message of alerts holds, as it was shown.
type alertSubscription struct {
	id    int64
	label string
}

// alertSubscriptions returns the distinct subscriptions of a message's alerts, in the order
// they first appear; those that could not be told (id 0) are left out.
func alertSubscriptions(rows []subscriptions.Delivery) []alertSubscription {
	var out []alertSubscription
	for _, d := range rows {
		for i, id := range d.SubscriptionIDs {
			if id == 0 || i >= len(d.Labels) || slices.ContainsFunc(out, func(s alertSubscription) bool { return s.id == id }) {
				continue
			}
			out = append(out, alertSubscription{id: id, label: d.Labels[i]})
		}
	}
	return out
}

// alertKeyboard returns the buttons under a message of alerts (one, or several coalesced),
// for every subscription the message holds, from the ids its rows carry: it looks nothing
// up. It is nil for a digest, or when no subscription is known.
func (b *Bot) alertKeyboard(_ context.Context, rows []subscriptions.Delivery) *models.InlineKeyboardMarkup {
	if len(rows) == 0 || rows[0].Kind != subscriptions.KindAlert {
		return nil
	}
	rows = b.localDeliveries(rows)
	return alertKeyboardFor(b.chatLocale(rows[0].Language), alertSubscriptions(rows))
}

// localDeliveries returns copies of ds in their chat's language: Language resolved (the
// default for a chat without one) and the labels of catalog topics translated.
func (b *Bot) localDeliveries(ds []subscriptions.Delivery) []subscriptions.Delivery {
	out := slices.Clone(ds)
	for i := range out {
		l := b.chatLocale(out[i].Language)
		out[i].Language = string(l.Lang())
		out[i].Labels = localLabels(b.store.Catalog(), l, out[i].Labels)
	}
	return out
}

// alertKeyboardFor lays out the buttons for the subscriptions of one message: for one,
// alertButtons; for up to maxAlertRows, one row each (alertRow); for more, a picker — a
// button per subscription, two to a row, each showing that subscription's row below it
// (alertPick). The picker keeps the list in the keyboard itself: callback data (64 bytes)
// cannot carry it, and the bot keeps no state per message.
func alertKeyboardFor(l *locale.Locale, subs []alertSubscription) *models.InlineKeyboardMarkup {
	var rows [][]models.InlineKeyboardButton
	switch {
	case len(subs) == 0:
		return nil
	case len(subs) == 1:
		return alertButtons(l, subs[0].id, subs[0].label)
	case len(subs) <= maxAlertRows:
		for _, s := range subs {
			rows = append(rows, alertRow(l, s.id, s.label))
		}
	default:
		for i, s := range subs {
			btn := models.InlineKeyboardButton{Text: "⚙️ " + render.Truncate(s.label, 20), CallbackData: alertPickPrefix + strconv.FormatInt(s.id, 10)}
			if i%2 == 0 {
				rows = append(rows, []models.InlineKeyboardButton{btn})
			} else {
				rows[len(rows)-1] = append(rows[len(rows)-1], btn)
			}
		}
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: rows}
}

// alertButtons lays out "Mute <label> 24h", "Digest only" and "Unfollow <label>": the
// keyboard of a message of one subscription.
func alertButtons(l *locale.Locale, subscriptionID int64, label string) *models.InlineKeyboardMarkup {
	id := strconv.FormatInt(subscriptionID, 10)
	short := render.Truncate(label, 24)
	return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{
		{
			{Text: l.T("alert_mute", "Label", short), CallbackData: alertMutePrefix + id},
			{Text: l.T("alert_digest_only"), CallbackData: alertDigestPrefix + id},
		},
		{{Text: l.T("alert_unfollow_label", "Label", short), CallbackData: alertUnfollowPrefix + id}},
	}}
}

// alertRow is one subscription's row under a message of several: "Mute <label> 24h",
// "Digest only", "Unfollow", the label short enough for three buttons to a row.
func alertRow(l *locale.Locale, subscriptionID int64, label string) []models.InlineKeyboardButton {
	id := strconv.FormatInt(subscriptionID, 10)
	return []models.InlineKeyboardButton{
		{Text: l.T("alert_mute", "Label", render.Truncate(label, 12)), CallbackData: alertMutePrefix + id},
		{Text: l.T("alert_digest_only"), CallbackData: alertDigestPrefix + id},
		{Text: l.T("alert_unfollow"), CallbackData: alertUnfollowPrefix + id},
	}
}

// alertButtonID returns the prefix and subscription id of an alert button's callback data
// (alertPrefixes or alertPickPrefix); false for any other data.
func alertButtonID(data string) (string, int64, bool) {
	for _, p := range append(alertPrefixes, alertPickPrefix) {
		if rest, ok := strings.CutPrefix(data, p); ok {
			id, err := strconv.ParseInt(rest, 10, 64)
			return p, id, err == nil
		}
	}
	return "", 0, false
}

// withSubscriptionRows returns kb (the keyboard of a message of alerts as it is now) with the
// rows of subscription id's buttons (alertPrefixes) replaced by rows, in the place of the
// first of them, or after the picker row holding the subscription when it had none, or at
// the end. Its picker button goes too when drop is set. Rows of other subscriptions and
// other buttons stay as they are; the result is nil when nothing is left.
func withSubscriptionRows(kb *models.InlineKeyboardMarkup, id int64, rows [][]models.InlineKeyboardButton, drop bool) *models.InlineKeyboardMarkup {
	var out [][]models.InlineKeyboardButton
	placed := false
	pickAt := -1
	for _, row := range keyboardRows(kb) {
		mine, kept := false, make([]models.InlineKeyboardButton, 0, len(row))
		for _, btn := range row {
			p, bid, ok := alertButtonID(btn.CallbackData)
			switch {
			case ok && bid == id && p == alertPickPrefix:
				pickAt = len(out)
				if !drop {
					kept = append(kept, btn)
				}
			case ok && bid == id:
				mine = true
			default:
				kept = append(kept, btn)
			}
		}
		if mine && !placed {
			out, placed = append(out, rows...), true
		}
		if !mine && len(kept) > 0 {
			out = append(out, kept)
		}
	}
	if !placed {
		at := len(out)
		if pickAt >= 0 {
			at = min(pickAt+1, len(out))
		}
		out = slices.Insert(out, at, rows...)
	}
	if len(out) == 0 {
		return nil
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: out}
}

// othersIn reports whether kb has a button of an alert's subscription other than id.
func othersIn(kb *models.InlineKeyboardMarkup, id int64) bool {
	for _, row := range keyboardRows(kb) {
		for _, btn := range row {
			if _, bid, ok := alertButtonID(btn.CallbackData); ok && bid != id {
				return true
			}
		}
	}
	return false
}

// undoRow is the one button left in a subscription's place after a mute or "digest only".
func undoRow(text, data string) [][]models.InlineKeyboardButton {
	return [][]models.InlineKeyboardButton{{{Text: text, CallbackData: data}}}
}

// alertButton carries out one of an alert's buttons for the subscription it names, edits the
// alert to confirm it (a line below the alert's text, and that subscription's buttons replaced
// by an undo button, or by nothing after an unfollow; the other subscriptions' buttons stay)
// and returns the toast to answer with.
func (b *Bot) alertButton(ctx context.Context, in incoming, m *models.Message, prefix, arg string) (string, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return in.l.T("button_gone_short"), nil
	}
	sub, err := b.alertSubscription(ctx, in, id)
	if err != nil {
		return "", err
	}
	if sub.ID == 0 {
		b.confirmAlert(ctx, m, "", withSubscriptionRows(m.ReplyMarkup, id, nil, true))
		return in.l.T("alert_not_followed"), nil
	}
	chat, err := b.store.Chat(ctx, in.chat.ID)
	if err != nil {
		return "", err
	}
	label := label(in.l, sub, b.store.Catalog())
	short := render.Truncate(label, 24)
	// The subscription's buttons again, after an undo: the whole keyboard of a message of
	// one subscription, or its row among others.
	again := alertButtons(in.l, id, label).InlineKeyboard
	if othersIn(m.ReplyMarkup, id) {
		again = [][]models.InlineKeyboardButton{alertRow(in.l, id, label)}
	}
	switch prefix {
	case alertMutePrefix:
		until := b.opts.Now().Add(alertMuteFor).Truncate(time.Minute)
		if _, err := b.store.MuteSubscription(ctx, in.chat.ID, id, until); err != nil {
			return "", err
		}
		b.confirmAlert(ctx, m, in.l.T("alert_muted_line", "Label", label, "Until", in.l.DateTimeZone(until.In(chat.TimeZone))),
			withSubscriptionRows(m.ReplyMarkup, id, undoRow(in.l.T("alert_unmute", "Label", short), alertUnmutePrefix+arg), false))
		return in.l.T("alert_muted", "Label", short), nil
	case alertDigestPrefix:
		if _, err := b.store.SetMode(ctx, in.chat.ID, id, subscriptions.ModeDigest); err != nil {
			return "", err
		}
		b.confirmAlert(ctx, m, in.l.T("alert_digest_line", "Label", label),
			withSubscriptionRows(m.ReplyMarkup, id, undoRow(in.l.T("alert_alerts_again", "Label", short), alertBothPrefix+arg), false))
		return in.l.T("alert_digest", "Label", short), nil
	case alertUnfollowPrefix:
		if _, err := b.store.Unfollow(ctx, in.chat.ID, id); err != nil {
			return "", err
		}
		b.confirmAlert(ctx, m, in.l.T("alert_unfollowed_line", "Label", label), withSubscriptionRows(m.ReplyMarkup, id, nil, true))
		return in.l.T("unfollowed_short", "Label", short), nil
	case alertUnmutePrefix:
		if _, err := b.store.MuteSubscription(ctx, in.chat.ID, id, time.Time{}); err != nil {
			return "", err
		}
		b.confirmAlert(ctx, m, "", withSubscriptionRows(m.ReplyMarkup, id, again, false))
		return in.l.T("alert_unmuted", "Label", short), nil
	case alertBothPrefix:
		if _, err := b.store.SetMode(ctx, in.chat.ID, id, subscriptions.ModeBoth); err != nil {
			return "", err
		}
		b.confirmAlert(ctx, m, "", withSubscriptionRows(m.ReplyMarkup, id, again, false))
		return in.l.T("alert_both", "Label", short), nil
	}
	return in.l.T("button_gone_short"), nil
}

// alertSubscription returns the acting chat's subscription id; its ID is 0 when the chat no
// longer has it.
func (b *Bot) alertSubscription(ctx context.Context, in incoming, id int64) (subscriptions.Subscription, error) {
	subs, err := b.store.Subscriptions(ctx, in.chat.ID)
	if err != nil {
		return subscriptions.Subscription{}, err
	}
	for _, s := range subs {
		if s.ID == id {
			return s, nil
		}
	}
	return subscriptions.Subscription{}, nil
}

// alertPick answers a press on a picker button (alertKeyboardFor) under a message of many
// subscriptions: it shows that subscription's row below the button — closing the row of
// any other shown this way, undo buttons excepted — or hides it when it is shown already.
// It changes nothing but the keyboard.
func (b *Bot) alertPick(ctx context.Context, in incoming, m *models.Message, arg string) (string, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return in.l.T("button_gone_short"), nil
	}
	sub, err := b.alertSubscription(ctx, in, id)
	if err != nil {
		return "", err
	}
	if sub.ID == 0 {
		b.editKeyboard(ctx, m, withSubscriptionRows(m.ReplyMarkup, id, nil, true))
		return in.l.T("alert_not_followed"), nil
	}
	label := label(in.l, sub, b.store.Catalog())
	kb := m.ReplyMarkup
	if hasSubscriptionRow(kb, id) {
		b.editKeyboard(ctx, m, withSubscriptionRows(kb, id, nil, false))
		return "", nil
	}
	for _, other := range openRows(kb) {
		kb = withSubscriptionRows(kb, other, nil, false)
	}
	b.editKeyboard(ctx, m, withSubscriptionRows(kb, id, [][]models.InlineKeyboardButton{alertRow(in.l, id, label)}, false))
	return render.Truncate(label, 60), nil
}

// hasSubscriptionRow reports whether kb shows buttons (alertPrefixes) of subscription id.
func hasSubscriptionRow(kb *models.InlineKeyboardMarkup, id int64) bool {
	for _, row := range keyboardRows(kb) {
		for _, btn := range row {
			if p, bid, ok := alertButtonID(btn.CallbackData); ok && bid == id && p != alertPickPrefix {
				return true
			}
		}
	}
	return false
}

// openRows returns the subscriptions whose row (alertRow, not an undo button) kb shows.
func openRows(kb *models.InlineKeyboardMarkup) []int64 {
	var ids []int64
	for _, row := range keyboardRows(kb) {
		for _, btn := range row {
			if p, bid, ok := alertButtonID(btn.CallbackData); ok && p == alertMutePrefix && !slices.Contains(ids, bid) {
				ids = append(ids, bid)
			}
		}
	}
	return ids
}

func keyboardRows(kb *models.InlineKeyboardMarkup) [][]models.InlineKeyboardButton {
	if kb == nil {
		return nil
	}
	return kb.InlineKeyboard
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
