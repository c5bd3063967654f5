package bot

import (
	"fmt"
	"testing"

	"livealert/bot/fakebotapi"
	"livealert/subscriptions"
)

// TestDefaultLimitsNeverTrip429 sends to many chats, twice each, with the default limits
// against a fake that answers 429 wherever Telegram would.
func TestDefaultLimitsNeverTrip429(t *testing.T) {
	// Not parallel: it counts what a fake timing real arrivals sees, which the other tests'
	// load would skew.
	const chats = 70
	h := newHarness(t, harnessOptions{API: fakebotapi.Options{EnforceLimits: true}})
	h.start()
	for id := int64(1); id <= chats; id++ {
		if _, _, err := h.store.StartChat(h.ctx, subscriptions.ChatInfo{ID: id, Type: "private"}); err != nil {
			t.Fatal(err)
		}
		if _, err := h.store.FollowTopic(h.ctx, id, 0, "Storms"); err != nil {
			t.Fatal(err)
		}
	}
	h.ingest(newEntry("0", "Old news"))
	for round := 1; round <= 2; round++ {
		h.ingest(newEntry(fmt.Sprint(round), stormEntry(round)))
		for id := int64(1); id <= chats; id++ {
			h.waitTexts(id, stormEntry(round))
		}
	}
	if n := h.api.TooManyRequestsServed(); n != 0 {
		t.Fatalf("%d 429s from a fake enforcing Telegram's limits", n)
	}
}
