package bot

import (
	"strings"
	"testing"
	"time"

	"livealert/bot/fakebotapi"
	"livealert/subscriptions"
)

// waitTexts blocks until every one of want appears in the bot's messages to chatID (alerts
// may arrive coalesced, several in one message), and returns the messages.
func (h *harness) waitTexts(chatID int64, want ...string) []fakebotapi.Message {
	h.t.Helper()
	var msgs []fakebotapi.Message
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
func alertsIn(t *testing.T, msgs []fakebotapi.Message) []fakebotapi.Message {
	t.Helper()
	var out []fakebotapi.Message
	for _, m := range msgs {
		if strings.HasPrefix(m.Text, "🔔") {
			if m.ParseMode != "" {
				checkTelegramHTML(t, m.Text)
			}
			out = append(out, m)
		}
	}
	return out
}

// waitStore blocks until cond, which reads the store, holds: the store changes without the
// fake noticing, so it is polled.
func (h *harness) waitStore(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(harnessTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			h.t.Fatalf("%s: not after %v", what, harnessTimeout)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// waitOutbox blocks until the outbox stats satisfy cond, and returns them.
func (h *harness) waitOutbox(what string, cond func(subscriptions.OutboxStats) bool) subscriptions.OutboxStats {
	h.t.Helper()
	var st subscriptions.OutboxStats
	h.waitStore(what, func() bool {
		var err error
		st, err = h.store.OutboxStats(h.ctx)
		return err == nil && cond(st)
	})
	return st
}
