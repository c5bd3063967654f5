package subscriptions

import (
	"context"
	"errors"
	"testing"
)

func TestUserSourcesLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTestStore(t)
	lim := SuggestLimits{Pending: 2, Total: 3}
	add := func(name, url string, chat int64, status string) (UserSource, error) {
		return s.AddUserSource(ctx, UserSource{Name: name, URL: url, Format: "feed", RequestedBy: chat, UserID: chat, Status: status}, lim)
	}
	a, err := add("Kyiv live", "https://a.example/feed", 1, SourcePending)
	if err != nil || a.ID == 0 || a.CreatedAt.IsZero() {
		t.Fatalf("add: %+v, %v", a, err)
	}
	// Names differing in spacing are different names.
	if _, err := add("KYIV  live", "https://other.example/", 2, SourcePending); err != nil {
		t.Fatalf("a name differing in spaces: %v", err)
	}
	for _, tc := range []struct{ name, url string }{
		{"kyiv live", "https://b.example/"}, // the name, case aside
		{"Other", "https://a.example/feed"}, // the address
	} {
		if _, err := add(tc.name, tc.url, 3, SourcePending); !errors.Is(err, ErrSourceTaken) {
			t.Errorf("add %q %s: %v, want ErrSourceTaken", tc.name, tc.url, err)
		}
	}
	if _, err := add("B", "https://b.example/", 1, SourcePending); err != nil {
		t.Fatal(err)
	}
	if _, err := add("C", "https://c.example/", 1, SourcePending); !errors.Is(err, ErrPendingLimit) {
		t.Fatalf("third pending: %v, want ErrPendingLimit", err)
	}
	if _, err := add("C", "https://c.example/", 1, SourceApproved); err != nil {
		t.Fatalf("added at once within the total: %v", err)
	}
	if _, err := add("D", "https://d.example/", 1, SourceApproved); !errors.Is(err, ErrTotalLimit) {
		t.Fatalf("fourth: %v, want ErrTotalLimit", err)
	}

	u, decided, err := s.DecideUserSource(ctx, a.ID, SourceApproved, 99)
	if err != nil || !decided || u.Status != SourceApproved || u.DecidedBy != 99 {
		t.Fatalf("approve: %+v %v %v", u, decided, err)
	}
	if u, decided, err := s.DecideUserSource(ctx, a.ID, SourceRejected, 98); err != nil || decided || u.Status != SourceApproved {
		t.Fatalf("second decision: %+v %v %v, want it ignored", u, decided, err)
	}
	if _, _, err := s.DecideUserSource(ctx, 12345, SourceApproved, 99); !errors.Is(err, ErrNotFound) {
		t.Fatalf("decide unknown: %v", err)
	}
	approved, err := s.UserSources(ctx, SourceApproved)
	if err != nil || len(approved) != 2 || approved[0].Name != "Kyiv live" || approved[1].Name != "C" {
		t.Fatalf("approved: %+v %v", approved, err)
	}
	if _, err := s.RemoveUserSource(ctx, "KYIV LIVE", 99); err != nil {
		t.Fatalf("remove: %v", err)
	}
	if _, err := s.RemoveUserSource(ctx, "Kyiv live", 99); !errors.Is(err, ErrNotFound) {
		t.Fatalf("remove twice: %v", err)
	}
	// Removed, its name and address are free again, and it no longer counts.
	if _, err := add("Kyiv live", "https://a.example/feed", 1, SourcePending); err != nil {
		t.Fatalf("add again after remove: %v", err)
	}
	all, err := s.UserSources(ctx)
	if err != nil || len(all) != 5 {
		t.Fatalf("all: %d %v", len(all), err)
	}
}

// An entry is alerted to a subscription limited to its source only.
func TestIngestHonoursSourceLimit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTestStore(t)
	mustStart(t, s, 1, "private")
	mustStart(t, s, 2, "private")
	if _, err := s.Follow(ctx, 1, 0, `drones in:"Wire"`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Follow(ctx, 2, 0, `drones in:"Other wire"`); err != nil {
		t.Fatal(err)
	}
	mustIngest(t, s, entry("0", "first poll primes")) // the first poll of a source alerts nothing
	mustIngest(t, s, entry("1", "Drones over Kyiv"))
	ds := due(t, s)
	if len(ds) != 1 || ds[0].ChatID != 1 {
		t.Fatalf("deliveries %+v, want one to chat 1", ds)
	}
}
