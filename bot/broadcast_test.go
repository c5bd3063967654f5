package bot

import (
	"strings"
	"testing"

	"livealert/bot/fakebotapi"
)

// TestBroadcast: an operator's /broadcast reaches every active chat once, through the outbox,
// as written (not read as HTML); a chat that stopped gets nothing.
func TestBroadcast(t *testing.T) {
	t.Parallel()
	olga := fakebotapi.User{ID: 1003, FirstName: "Olga"}
	h := newHarness(t, harnessOptions{Admins: []int64{olga.ID}, Bot: liftChatLimits})
	h.start()
	h.reply(aliceChat, alice, "/start")
	h.reply(bobChat, bob, "/start")
	h.reply(bobChat, bob, "/stop")
	olgaChat := fakebotapi.PrivateChat(olga)
	// The announcement to olga's own chat may come before or after the answer.
	h.say(olgaChat, olga, 0, "/broadcast Maintenance at 03:00 <b>UTC</b> & back soon")
	h.waitTexts(olga.ID, "Queued for 2 chats") // alice and olga; bob stopped
	const want = "📣 Maintenance at 03:00 &lt;b&gt;UTC&lt;/b&gt; &amp; back soon"
	for _, id := range []int64{alice.ID, olga.ID} {
		var got []string
		for _, m := range h.waitTexts(id, "Maintenance at 03:00") {
			if strings.Contains(m.Text, "Maintenance") {
				got = append(got, m.Text)
			}
		}
		if len(got) != 1 || got[0] != want {
			t.Errorf("chat %d got %q, want once %q", id, got, want)
		}
	}
	for _, m := range h.api.Messages(bob.ID) {
		if strings.Contains(m.Text, "Maintenance") {
			t.Errorf("a stopped chat got the announcement")
		}
	}
}
