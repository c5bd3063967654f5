package bot

import (
	"context"
	"testing"
	"time"

	"livealert/bot/fakebotapi"
)

// burstBound is how soon another chat's reply and alert must arrive during a burst.
const burstBound = 5 * time.Second

// TestBurstDrawsNo429 floods the bot against a fake enforcing Telegram's limits: one user's
// 60 /help and a group's 30 commands draw no 429, another chat's /list answer and alert
// arrive within burstBound, the flooder gets one "slow down" after their last answer, and
// every update is handled in the end.
func TestBurstDrawsNo429(t *testing.T) {
	// Not parallel: it counts what a fake timing real arrivals sees, which the other tests'
	// load would skew.
	h := newHarness(t, harnessOptions{Budget: true, API: fakebotapi.Options{EnforceLimits: true}})
	h.start()
	h.reply(bobChat, bob, "/follow storms")
	h.ingest(newEntry("0", "Old news from before the bot watched"))
	members := []fakebotapi.User{
		{ID: 2001, FirstName: "Carol"}, {ID: 2002, FirstName: "Dave"}, {ID: 2003, FirstName: "Erin"},
	}

	for range 60 {
		h.api.SendMessage(aliceChat, alice, "/help")
	}
	for i := range 30 {
		cmd := "/help"
		if i%2 == 1 {
			cmd = "/list"
		}
		h.api.SendMessage(newsGroup, members[i%len(members)], cmd)
	}
	bobBefore := len(h.api.Messages(bob.ID))
	sent := time.Now()
	last := h.api.SendMessage(bobChat, bob, "/list")
	h.ingest(newEntry("1", stormEntry(1)))

	ctx, cancel := context.WithTimeout(h.ctx, burstBound)
	defer cancel()
	err := h.api.WaitFor(ctx, func() bool {
		msgs := h.api.Messages(bob.ID)[bobBefore:]
		return len(msgs) >= 2 && len(alertsIn(t, msgs)) == 1
	})
	if err != nil {
		t.Fatalf("bob's /list answer and alert not both in within %v: %+v", burstBound, h.api.Messages(bob.ID)[bobBefore:])
	}
	t.Logf("bob's answer and alert arrived %v after his /list", time.Since(sent).Round(time.Millisecond))
	h.waitHandled(last)

	if n := h.api.TooManyRequestsServed(); n != 0 {
		t.Errorf("%d 429s from a fake enforcing Telegram's limits", n)
	}
	msgs := h.api.Messages(alice.ID)
	if len(msgs) == 0 || msgs[len(msgs)-1].Text != slowDownText {
		t.Fatalf("alice's last message is not the slow-down text: %+v", msgs)
	}
	for _, m := range msgs[:len(msgs)-1] {
		if m.Text != helpText(en, h.bot.cmds.list, inPrivate, false) {
			t.Errorf("alice got %q before the slow-down text, want only /help answers", m.Text)
		}
	}
	group := h.api.Messages(newsGroup.ID)
	if len(group) == 0 || len(group) > 30 {
		t.Errorf("the group got %d answers to 30 commands", len(group))
	}
	t.Logf("alice got %d messages for 60 /help, the group %d for 30 commands", len(msgs), len(group))
}
