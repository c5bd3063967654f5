package bot

import (
	"strings"
	"testing"
	"time"

	"livealert/bot/fakebotapi"
)

// TestQuietHours: alerts in quiet hours are held and come as one message when the hours
// end; when the digest comes first it brings them and the held alerts are dropped.
func TestQuietHours(t *testing.T) {
	t.Parallel()
	night := time.Date(2024, 5, 14, 23, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		quiet     string
		digest    string
		wantAtEnd int // alert messages when the quiet hours end
	}{
		{"held until the hours end, as one message", "/quiet 22:00-07:00", "/digest 09:00", 1},
		{"folded into the digest that comes first", "/quiet 22:00-09:00", "/digest 08:00", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, harnessOptions{Start: night.Add(-2 * time.Hour)})
			h.start()
			for _, cmd := range []string{"/follow Storms", tt.quiet, tt.digest} {
				h.reply(aliceChat, alice, cmd)
			}
			h.ingest(newEntry("0", "Old news"))
			h.clock.Set(night)
			h.ingest(newEntry("1", "Storm reaches the coast"), newEntry("2", "Flood warning for the harbour"))
			h.clock.Set(night.Add(3 * time.Hour))
			h.ingest(newEntry("3", "Storm surge tops the sea wall"))
			// A marker: Bob, without quiet hours, is alerted at once; Alice's alerts, older, would
			// have gone first had they not been held.
			h.reply(bobChat, bob, "/follow Council")
			h.ingest(newEntry("4", "Council meets on the storm"))
			h.waitMessages(bob.ID, 2)
			if n := len(h.api.Messages(alice.ID)); n != 3 {
				t.Fatalf("%d messages to alice in quiet hours, want only the 3 replies", n)
			}
			h.clock.Set(time.Date(2024, 5, 15, 8, 0, 0, 0, time.UTC))
			h.digestTick()
			h.clock.Set(time.Date(2024, 5, 15, 9, 0, 0, 0, time.UTC))
			h.digestTick()
			h.bot.sender.Wake()
			h.waitMessages(alice.ID, 3+1+tt.wantAtEnd) // the digest, and the held alerts if not folded
			before := len(h.api.Messages(bob.ID))
			h.ingest(newEntry("5", "Council adjourns")) // a marker again: anything more for alice would come first
			h.waitMessages(bob.ID, before+1)
			var alerts, digests []fakebotapi.Message
			for _, m := range h.api.Messages(alice.ID)[3:] {
				if isDigest(m) {
					digests = append(digests, m)
				} else {
					alerts = append(alerts, m)
				}
			}
			if len(digests) != 1 || len(alerts) != tt.wantAtEnd {
				t.Fatalf("%d digests and %d alert messages, want 1 and %d", len(digests), len(alerts), tt.wantAtEnd)
			}
			for _, title := range []string{"Storm reaches the coast", "Flood warning for the harbour", "Storm surge tops the sea wall"} {
				if !strings.Contains(digests[0].PlainText, title) {
					t.Errorf("the digest lacks %q", title)
				}
				if tt.wantAtEnd > 0 && !strings.Contains(alerts[0].PlainText, title) {
					t.Errorf("the alert message at the end of quiet hours lacks %q", title)
				}
			}
		})
	}
}
