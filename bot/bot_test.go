package bot

import (
	"strings"
	"testing"

	"livealert/bot/fakebotapi"
)

// TestSourcesWatchedWhileTelegramIsDown: the watcher does not wait for Telegram. A page polled
// while getMe fails is recorded, and what it brought is queued and sent once Telegram answers.
func TestSourcesWatchedWhileTelegramIsDown(t *testing.T) {
	t.Parallel()
	const page = "Tuesday, May 14, 2024\n0900 GMT — Harbour quiet before the storm\nNothing to report.\n"
	h := newHarness(t, harnessOptions{Page: page})
	h.start()
	h.reply(aliceChat, alice, "/follow storm")
	h.stop()

	// Telegram is down at the next start: the first getMe fails, connect retries after 1s.
	h.api.FailNext("getMe", 0, fakebotapi.ServerError())
	h.setPage("Tuesday, May 14, 2024\n1000 GMT — Storm surge floods the harbour road\nWater everywhere.\n" +
		strings.TrimPrefix(page, "Tuesday, May 14, 2024\n"))
	polled := len(h.getMeAtPollSnapshot())
	h.start()
	msgs := h.waitMessages(alice.ID, 2)
	if !strings.Contains(msgs[1].Text, "Storm surge floods the harbour road") {
		t.Fatalf("after the outage: %s", msgs[1].Text)
	}
	polls := h.getMeAtPollSnapshot()[polled:]
	if len(polls) == 0 || polls[0] > h.api.Calls("getMe")-1 {
		t.Fatalf("getMe calls at each poll after the restart %v (%d in all): the source was first polled only after Telegram answered", polls, h.api.Calls("getMe"))
	}
}

func (h *harness) getMeAtPollSnapshot() []int {
	h.pageMu.Lock()
	defer h.pageMu.Unlock()
	return append([]int(nil), h.getMeAtPoll...)
}
