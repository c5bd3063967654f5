package bot

import (
	"testing"
	"time"

	"livealert/bot/fakebotapi"
)

// TestListShowsModes checks /list says how each subscription arrives, and until when one is
// muted.
func TestListShowsModes(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.start()
	for _, q := range []string{"ferry", "harbour", "council"} {
		h.reply(aliceChat, alice, "/follow "+q)
	}
	subs, err := h.store.Subscriptions(h.ctx, alice.ID)
	if err != nil || len(subs) != 3 {
		t.Fatalf("%d subscriptions, err %v", len(subs), err)
	}
	if _, err := h.store.SetMode(h.ctx, alice.ID, subs[0].ID, "instant"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.SetMode(h.ctx, alice.ID, subs[1].ID, "digest"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.MuteSubscription(h.ctx, alice.ID, subs[2].ID, h.clock.Now().Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	tr := &transcript{t: t}
	tr.said("alice", "/list", []fakebotapi.Message{h.reply(aliceChat, alice, "/list")})
	golden(t, "list_modes.txt", tr.b.String())
}
