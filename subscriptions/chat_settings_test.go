package subscriptions

import (
	"context"
	"testing"
	"time"
)

func TestParseZone(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Europe/Kyiv", "Europe/Kyiv"},
		{"europe/kyiv", "Europe/Kyiv"},
		{"america/new_york", "America/New_York"},
		{"Kyiv", "Europe/Kyiv"},
		{"kiev", "Europe/Kyiv"},
		{"New York", "America/New_York"},
		{"new-york", "America/New_York"},
		{"Los Angeles", "America/Los_Angeles"},
		{"Istanbul", "Europe/Istanbul"},
		{"TOKYO", "Asia/Tokyo"},
		{"UTC", "UTC"},
		{"utc+0", "UTC"},
		{"UTC+3", "UTC+03:00"},
		{"UTC+03", "UTC+03:00"},
		{"UTC-3:30", "UTC-03:30"},
		{"GMT+5:45", "UTC+05:45"},
		{"UTC+0530", "UTC+05:30"},
		{"UTC+14", "UTC+14:00"},
		{"Australia/Lord_Howe", "Australia/Lord_Howe"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			loc, err := ParseZone(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if loc.String() != tt.want {
				t.Fatalf("ParseZone(%q) = %s, want %s", tt.in, loc, tt.want)
			}
			back, err := LoadZone(loc.String())
			if err != nil || back.String() != tt.want {
				t.Fatalf("LoadZone(%q) = %v, %v", loc.String(), back, err)
			}
		})
	}
	for _, bad := range []string{"", "Local", "local", "Mars/Olympus", "UTC+15", "UTC+3:07", "UTC+3:60", "UTC+", "Atlantis", "../../etc/passwd", "*/5 * * * *"} {
		if loc, err := ParseZone(bad); err == nil {
			t.Errorf("ParseZone(%q) = %v, want an error", bad, loc)
		}
	}
	if loc, _ := ParseZone("UTC-3:30"); time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC).In(loc).Format("15:04") != "08:30" {
		t.Error("UTC-3:30 has the wrong offset")
	}
}

func TestParseQuietHours(t *testing.T) {
	tests := []struct{ in, start, end string }{
		{"23:00-07:00", "23:00", "07:00"},
		{"23:00 - 7:00", "23:00", "07:00"},
		{"22:30–06:15", "22:30", "06:15"},
		{"13:00 to 14:00", "13:00", "14:00"},
	}
	for _, tt := range tests {
		start, end, err := ParseQuietHours(tt.in)
		if err != nil || start != tt.start || end != tt.end {
			t.Errorf("ParseQuietHours(%q) = %q, %q, %v", tt.in, start, end, err)
		}
	}
	for _, bad := range []string{"", "23:00", "23:00-23:00", "25:00-07:00", "night"} {
		if _, _, err := ParseQuietHours(bad); err == nil {
			t.Errorf("ParseQuietHours(%q) accepted", bad)
		}
	}
}

func TestQuietUntil(t *testing.T) {
	ny, _ := LoadZone("America/New_York")
	at := func(d, h, m int) time.Time { return time.Date(2024, 3, d, h, m, 0, 0, ny) }
	tests := []struct {
		name       string
		now        time.Time
		start, end string
		want       time.Time // zero: not quiet
	}{
		{"before", at(5, 22, 59), "23:00", "07:00", time.Time{}},
		{"start", at(5, 23, 0), "23:00", "07:00", at(6, 7, 0)},
		{"after midnight", at(6, 3, 0), "23:00", "07:00", at(6, 7, 0)},
		{"end is not quiet", at(6, 7, 0), "23:00", "07:00", time.Time{}},
		{"within a day", at(6, 13, 30), "13:00", "14:00", at(6, 14, 0)},
		{"over spring forward", at(9, 23, 30), "23:00", "07:00", at(10, 7, 0)},
		{"ends in the gap", at(10, 1, 0), "00:00", "02:30", at(10, 3, 0)},
		{"none", at(6, 3, 0), "", "", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, quiet := quietUntil(tt.now, tt.start, tt.end, ny)
			if quiet != !tt.want.IsZero() || (quiet && !got.Equal(tt.want)) {
				t.Fatalf("quietUntil = %v %v, want %v", got.In(ny), quiet, tt.want)
			}
		})
	}
}

func TestParseMuteDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"2h", 2 * time.Hour}, {"1d", 24 * time.Hour}, {"30m", 30 * time.Minute}, {"1w", 7 * 24 * time.Hour},
		{"1h30m", 90 * time.Minute}, {"24H", 24 * time.Hour}, {"30d", 30 * 24 * time.Hour},
	}
	for _, tt := range tests {
		if got, err := ParseMuteDuration(tt.in); err != nil || got != tt.want {
			t.Errorf("ParseMuteDuration(%q) = %v, %v", tt.in, got, err)
		}
	}
	for _, bad := range []string{"", "forever", "-2h", "0d", "31d", "10s", "1.5d", "5w"} {
		if _, err := ParseMuteDuration(bad); err == nil {
			t.Errorf("ParseMuteDuration(%q) accepted", bad)
		}
	}
}

func TestParseMode(t *testing.T) {
	for in, want := range map[string]string{"instant": ModeInstant, "Digest": ModeDigest, "both": ModeBoth, "daily": ModeDigest, "alerts": ModeInstant} {
		if got, ok := ParseMode(in); !ok || got != want {
			t.Errorf("ParseMode(%q) = %q %v", in, got, ok)
		}
	}
	if _, ok := ParseMode("sometimes"); ok {
		t.Error("ParseMode accepted sometimes")
	}
}

// TestIngestHonoursModesMutesAndQuietHours follows what each setting does to one entry's
// alert and to the digest.
func TestIngestHonoursModesMutesAndQuietHours(t *testing.T) {
	ctx := context.Background()
	type outcome struct {
		alert  bool
		due    time.Time // when the alert is due, if any
		digest bool
	}
	now := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		setup func(t *testing.T, s *Store, sub int64)
		want  outcome
	}{
		{"default both", func(*testing.T, *Store, int64) {}, outcome{alert: true, due: now, digest: true}},
		{"instant only", func(t *testing.T, s *Store, sub int64) { mustOK(t)(s.SetMode(ctx, 1, sub, ModeInstant)) },
			outcome{alert: true, due: now}},
		{"digest only", func(t *testing.T, s *Store, sub int64) { mustOK(t)(s.SetMode(ctx, 1, sub, ModeDigest)) },
			outcome{digest: true}},
		{"subscription muted", func(t *testing.T, s *Store, sub int64) {
			mustOK(t)(s.MuteSubscription(ctx, 1, sub, now.Add(24*time.Hour)))
		}, outcome{}},
		{"subscription mute over", func(t *testing.T, s *Store, sub int64) {
			mustOK(t)(s.MuteSubscription(ctx, 1, sub, now.Add(-time.Minute)))
		}, outcome{alert: true, due: now, digest: true}},
		{"chat muted", func(t *testing.T, s *Store, _ int64) { mustSet(t)(s.MuteChat(ctx, 1, now.Add(2*time.Hour))) },
			outcome{digest: true}},
		{"chat mute over", func(t *testing.T, s *Store, _ int64) { mustSet(t)(s.MuteChat(ctx, 1, now.Add(-time.Second))) },
			outcome{alert: true, due: now, digest: true}},
		{"quiet hours hold the alert", func(t *testing.T, s *Store, _ int64) {
			mustSet(t)(s.SetTimeZone(ctx, 1, mustZone(t, "Kyiv"))) // 12:00 there
			mustSet(t)(s.SetQuietHours(ctx, 1, "11:30", "13:15"))
		}, outcome{alert: true, due: time.Date(2024, 3, 1, 11, 15, 0, 0, time.UTC), digest: true}},
		{"outside quiet hours", func(t *testing.T, s *Store, _ int64) {
			mustSet(t)(s.SetQuietHours(ctx, 1, "23:00", "07:00"))
		}, outcome{alert: true, due: now, digest: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clock := openTestStore(t)
			mustIngest(t, s)
			mustStart(t, s, 1, "private")
			s.FollowTopic(ctx, 1, 0, "Drones")
			subs, _ := s.Subscriptions(ctx, 1)
			tt.setup(t, s, subs[0].ID)
			mustIngest(t, s, entry("a", "Drone over the harbour"))
			var rows int
			var dueAt int64
			s.reader.QueryRow(`SELECT COUNT(*), COALESCE(MAX(due_at), 0) FROM outbox WHERE chat_id = 1 AND kind = 'alert'`).Scan(&rows, &dueAt)
			if (rows == 1) != tt.want.alert || (tt.want.alert && dueAt != tt.want.due.Unix()) {
				t.Errorf("%d alerts due at %v, want alert %v due %v", rows, time.Unix(dueAt, 0).UTC(), tt.want.alert, tt.want.due)
			}
			clock.Set(now.Add(time.Minute))
			items, _, err := s.digestItems(ctx, 1, 0)
			if err != nil || (len(items) == 1) != tt.want.digest {
				t.Errorf("%d digest items (%v), want digest %v", len(items), err, tt.want.digest)
			}
		})
	}
}

// TestDigestFoldsHeldAlerts: alerts held by quiet hours whose entries the digest brings are
// dropped when the digest is queued; the others stay held.
func TestDigestFoldsHeldAlerts(t *testing.T) {
	s, clock := openTestStore(t) // 2024-03-01 10:00 UTC
	ctx := context.Background()
	mustIngest(t, s)
	mustStart(t, s, 1, "private")
	s.FollowTopic(ctx, 1, 0, "Drones")
	s.Follow(ctx, 1, 0, "harbour")
	subs, _ := s.Subscriptions(ctx, 1)
	mustOK(t)(s.SetMode(ctx, 1, subs[1].ID, ModeInstant))
	mustSet(t)(s.SetQuietHours(ctx, 1, "22:00", "09:00"))
	mustSet(t)(s.SetDigestTime(ctx, 1, "08:00", 0))
	clock.Set(time.Date(2024, 3, 1, 23, 0, 0, 0, time.UTC))
	mustIngest(t, s, entry("a", "Drone seen"), entry("b", "Harbour closed"))
	if n := heldAlerts(t, s); n != 2 {
		t.Fatalf("%d held alerts, want 2", n)
	}
	clock.Set(time.Date(2024, 3, 2, 8, 0, 0, 0, time.UTC))
	dues, _ := s.dueDigests(ctx, clock.Now(), 10)
	items, cursor, _ := s.digestItems(ctx, 1, dues[0].Cursor)
	if len(items) != 1 || items[0].Entry.ID != "a" {
		t.Fatalf("digest items %+v, want just a (harbour is instant-only)", items)
	}
	if queued, err := recordOneDigest(ctx, s, DigestRun{Due: dues[0], Messages: []string{"d"}, Entries: 1, Cursor: cursor}); !queued || err != nil {
		t.Fatalf("record: %v %v", queued, err)
	}
	var left []string
	rows, _ := s.reader.Query(`SELECT e.entry_key FROM outbox o JOIN entries e ON e.id = o.entry_id WHERE o.kind = 'alert'`)
	for rows.Next() {
		var k string
		rows.Scan(&k)
		left = append(left, k)
	}
	rows.Close()
	if !equalStrings(left, []string{"b"}) {
		t.Fatalf("held alerts left %q, want just b (a is in the digest)", left)
	}
	clock.Set(time.Date(2024, 3, 2, 9, 0, 0, 0, time.UTC))
	if ds := due(t, s); len(ds) != 2 {
		t.Fatalf("%d due when quiet hours end, want the digest and b's alert", len(ds))
	}
}

func heldAlerts(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.reader.QueryRow(`SELECT COUNT(*) FROM outbox WHERE kind = 'alert' AND due_at > ?`, s.now().Unix()).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func mustOK(t *testing.T) func(bool, error) {
	return func(ok bool, err error) {
		t.Helper()
		if err != nil || !ok {
			t.Fatalf("%v %v", ok, err)
		}
	}
}

func TestQuietOffReleasesHeldAlerts(t *testing.T) {
	s, clock := openTestStore(t) // 2024-03-01 10:00 UTC
	ctx := context.Background()
	mustIngest(t, s)
	mustStart(t, s, 1, "private")
	s.FollowTopic(ctx, 1, 0, "Drones")
	mustSet(t)(s.SetQuietHours(ctx, 1, "09:00", "17:00"))
	mustIngest(t, s, entry("a", "Drone seen"))
	if n := heldAlerts(t, s); n != 1 {
		t.Fatalf("%d held, want 1", n)
	}
	clock.Set(clock.Now().Add(time.Hour))
	mustSet(t)(s.SetQuietHours(ctx, 1, "", ""))
	if n := heldAlerts(t, s); n != 0 {
		t.Fatalf("%d still held after /quiet off", n)
	}
	if n := len(due(t, s)); n != 1 {
		t.Fatalf("%d due after /quiet off, want the released alert", n)
	}
}

func TestChangedQuietHoursMoveHeldAlerts(t *testing.T) {
	s, clock := openTestStore(t) // 2024-03-01 10:00 UTC
	ctx := context.Background()
	mustIngest(t, s)
	mustStart(t, s, 1, "private")
	s.FollowTopic(ctx, 1, 0, "Drones")
	mustSet(t)(s.SetQuietHours(ctx, 1, "09:00", "17:00"))
	mustIngest(t, s, entry("a", "Drone seen"))
	dueAt := func() time.Time {
		var at int64
		if err := s.reader.QueryRow(`SELECT due_at FROM outbox WHERE kind = 'alert'`).Scan(&at); err != nil {
			t.Fatal(err)
		}
		return time.Unix(at, 0).UTC()
	}
	if want := time.Date(2024, 3, 1, 17, 0, 0, 0, time.UTC); !dueAt().Equal(want) {
		t.Fatalf("held until %v, want %v", dueAt(), want)
	}
	mustSet(t)(s.SetQuietHours(ctx, 1, "08:00", "12:30")) // still quiet: due when the new hours end
	if want := time.Date(2024, 3, 1, 12, 30, 0, 0, time.UTC); !dueAt().Equal(want) {
		t.Fatalf("held until %v after the change, want %v", dueAt(), want)
	}
	clock.Set(clock.Now().Add(time.Minute))
	mustSet(t)(s.SetQuietHours(ctx, 1, "22:00", "07:00")) // not quiet now: due at once
	if n := len(due(t, s)); n != 1 {
		t.Fatalf("%d due after moving the quiet hours away from now, want 1", n)
	}
}
