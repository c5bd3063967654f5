package bot

import (
	"strings"
	"testing"

	"livealert/bot/telegramtest"
)

// waitTexts blocks until every one of want appears in the bot's messages to chatID (alerts
// may arrive coalesced, several in one message), and returns the messages.
func (h *harness) waitTexts(chatID int64, want ...string) []telegramtest.Message {
	h.t.Helper()
	var msgs []telegramtest.Message
	err := h.api.WaitFor(h.waitCtx(), func() bool {
		msgs = h.api.Messages(chatID)
		var all strings.Builder
		for _, m := range msgs {
			all.WriteString(m.Text)
		}
		for _, w := range want {
			if !strings.Contains(all.String(), w) {
				return false
			}
		}
		return true
	})
	if err != nil {
		h.t.Fatalf("chat %d never got %q: %v; it got %d messages", chatID, want, err, len(msgs))
	}
	return msgs
}

// alertsIn returns the messages among msgs that hold alerts, each checked as Telegram would.
func alertsIn(t *testing.T, msgs []telegramtest.Message) []telegramtest.Message {
	t.Helper()
	var out []telegramtest.Message
	for _, m := range msgs {
		if strings.HasPrefix(m.Text, "🔔") {
			checkTelegramHTML(t, m.Text)
			out = append(out, m)
		}
	}
	return out
}
