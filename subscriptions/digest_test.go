package subscriptions

import (
	"context"
	"testing"
	"time"
)

func TestDigestOncePerLocalDay(t *testing.T) {
	s, clock := openTestStore(t) // 2024-03-01 10:00 UTC; digests at 08:00 UTC
	ctx := context.Background()
	mustIngest(t, s)
	c := mustStart(t, s, 1, "private")
	if want := time.Date(2024, 3, 2, 8, 0, 0, 0, time.UTC); !c.NextDigest.Equal(want) {
		t.Fatalf("next digest %v, want %v", c.NextDigest, want)
	}
	s.FollowTopic(ctx, 1, 0, "Drones")
	s.FollowTopic(ctx, 1, 0, "Belgorod")
	mustIngest(t, s, entry("a", "Drones over Belgorod"), entry("b", "Drone two"), entry("c", "Weather"))

	if got, _ := s.dueDigests(ctx, clock.Now(), 10); len(got) != 0 {
		t.Fatalf("%d digests due before their time", len(got))
	}
	clock.Set(time.Date(2024, 3, 2, 8, 0, 30, 0, time.UTC))
	dues, err := s.dueDigests(ctx, clock.Now(), 10)
	if err != nil || len(dues) != 1 {
		t.Fatalf("due digests %d (%v), want 1", len(dues), err)
	}
	d := dues[0]
	if d.localDate() != "2024-03-02" {
		t.Fatalf("local date %s", d.localDate())
	}
	items, cursor, err := s.digestItems(ctx, 1, d.Cursor)
	if err != nil || len(items) != 2 {
		t.Fatalf("items %d (%v), want 2 (each entry once)", len(items), err)
	}
	if got := items[0].Labels; !equalStrings(got, []string{"Drones", "Belgorod"}) {
		t.Fatalf("labels of the first item %q, want [Drones Belgorod] in subscription order", got)
	}
	run := DigestRun{Due: d, Messages: []string{"part 1", "part 2"}, Entries: len(items), Cursor: cursor}
	if queued, err := recordOneDigest(ctx, s, run); err != nil || !queued {
		t.Fatalf("record: %v %v", queued, err)
	}
	if n := len(due(t, s)); n != 4 {
		t.Fatalf("%d rows due, want 2 alerts + 2 digest parts", n)
	}
	// The same day again (a second tick, or a retry) queues nothing.
	if queued, err := recordOneDigest(ctx, s, run); err != nil || queued {
		t.Fatalf("second record the same day: %v %v, want not queued", queued, err)
	}
	c, _ = s.Chat(ctx, 1)
	if want := time.Date(2024, 3, 3, 8, 0, 0, 0, time.UTC); !c.NextDigest.Equal(want) {
		t.Fatalf("next digest %v, want %v", c.NextDigest, want)
	}
	// Only entries matched after the cursor make the next digest.
	mustIngest(t, s, entry("d", "Drone three"))
	items, _, err = s.digestItems(ctx, 1, cursor)
	if err != nil || len(items) != 1 || items[0].Entry.ID != "d" {
		t.Fatalf("next digest's items %+v (%v), want just d", items, err)
	}
}

func TestEmptyDigestOnlyMovesSchedule(t *testing.T) {
	s, clock := openTestStore(t)
	ctx := context.Background()
	mustStart(t, s, 1, "private")
	clock.Set(time.Date(2024, 3, 2, 8, 1, 0, 0, time.UTC))
	dues, _ := s.dueDigests(ctx, clock.Now(), 10)
	if len(dues) != 1 {
		t.Fatalf("%d due", len(dues))
	}
	if queued, err := recordOneDigest(ctx, s, DigestRun{Due: dues[0]}); err != nil || queued {
		t.Fatalf("empty digest: %v %v", queued, err)
	}
	if dues, _ := s.dueDigests(ctx, clock.Now(), 10); len(dues) != 0 {
		t.Fatal("an empty digest left the chat due")
	}
	if n := len(due(t, s)); n != 0 {
		t.Fatalf("an empty digest queued %d messages", n)
	}
}

func TestDigestOffAndOn(t *testing.T) {
	s, clock := openTestStore(t)
	ctx := context.Background()
	mustStart(t, s, 1, "private")
	c, err := s.SetDigestTime(ctx, 1, "", 0)
	if err != nil || !c.NextDigest.IsZero() || c.DigestTime != "" {
		t.Fatalf("off: %+v %v", c, err)
	}
	clock.Set(time.Date(2024, 3, 5, 8, 1, 0, 0, time.UTC))
	if dues, _ := s.dueDigests(ctx, clock.Now(), 10); len(dues) != 0 {
		t.Fatal("a chat with digests off is due")
	}
	c, err = s.SetDigestTime(ctx, 1, "21:15", 0)
	if want := time.Date(2024, 3, 5, 21, 15, 0, 0, time.UTC); err != nil || !c.NextDigest.Equal(want) {
		t.Fatalf("on: next %v (%v), want %v", c.NextDigest, err, want)
	}
	if _, err := s.SetDigestTime(ctx, 1, "25:00", 0); err == nil {
		t.Fatal("25:00 accepted")
	}
}
