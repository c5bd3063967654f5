package bot

import (
	"time"

	"livealert/bot/render"
	"livealert/subscriptions"
)

// alertSeparator goes between the alerts of one coalesced message.
const alertSeparator = "\n\n➖➖➖\n\n"

// renderAlerts renders alerts of one chat, oldest first, as one message: as many whole
// alerts as fit in Telegram's limit, at least one, each with the words of its Terms
// highlighted. It returns the text and how many of ds it
// holds; the rest wait for the next message.
func renderAlerts(ds []subscriptions.Delivery, sources map[string]render.Source, now time.Time) (string, int) {
	var text string
	size := 0
	for i, d := range ds {
		part := render.Alert(d, sources[d.Entry.Source], now, termSet(d.Terms))
		if len(ds) == 1 {
			return part, 1 // a lone alert goes whatever its length: no need to measure it
		}
		n := telegramLength(part)
		if i == 0 {
			text, size = part, n
			continue
		}
		add := telegramLength(alertSeparator) + n
		if size+add > render.MaxMessageLength {
			return text, i
		}
		text += alertSeparator + part
		size += add
	}
	return text, len(ds)
}

// telegramLength is the length Telegram counts for a message in HTML parse mode: UTF-16
// code units of its text after entity parsing.
func telegramLength(src string) int { return render.Length(render.PlainText(src)) }
