package bot

import (
	"fmt"
	"strings"
	"testing"

	"livealert/subscriptions"
)

// TestFollowErrors sends the bad queries the issue names and checks each answer says what is
// wrong and offers a corrected query.
func TestFollowErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.start()
	tr := &transcript{t: t}
	for _, q := range []string{
		`"peace talks`, "(drones OR uav", "drones)", "-gaza", "-gaza -israel", "🔥 !!!",
		strings.Repeat("ferry ", 35) + "crossing",
		"drones OR", "dr*ne",
	} {
		text := "/follow " + q
		msgs := h.say(aliceChat, alice, 0, text)
		tr.said("alice", text, msgs)
		if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "Try: <code>/follow ") {
			t.Errorf("%q: want one answer with a corrected example, got %+v", text, msgs)
		}
	}
	for i := range subscriptions.MaxSubscriptions {
		if _, err := h.store.Follow(h.ctx, alice.ID, 0, fmt.Sprintf("word%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	text := "/follow one too many"
	tr.said("alice", text, h.say(aliceChat, alice, 0, text))
	golden(t, "follow_errors.txt", tr.b.String())
	if subs, _ := h.store.Subscriptions(h.ctx, alice.ID); len(subs) != subscriptions.MaxSubscriptions {
		t.Fatalf("the chat follows %d things, want the maximum %d", len(subs), subscriptions.MaxSubscriptions)
	}
}
