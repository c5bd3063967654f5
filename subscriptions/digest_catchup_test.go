package subscriptions

import (
	"context"
	"testing"
	"time"
)

// TestDigestCatchUp stops the tick (livealert down) over a chat's 08:00 Kyiv digest and starts
// it again later: within CatchUpWindow the missed digest goes out once, at once, for its day;
// after it, nothing goes out until the next regular digest.
func TestDigestCatchUp(t *testing.T) {
	kyiv, _ := LoadZone("Europe/Kyiv")
	at := func(d, h, m int) time.Time { return time.Date(2024, 3, d, h, m, 0, 0, kyiv) }
	tests := []struct {
		name       string
		downFrom   time.Time
		backAt     time.Time
		want       []string
		wantLocals []string // the local dates the runs were recorded for
	}{
		{"back before the digest time", at(4, 7, 0), at(4, 7, 30),
			[]string{"2024-03-04 08:00 +0200", "2024-03-05 08:00 +0200"}, []string{"2024-03-04", "2024-03-05"}},
		{"back 3 hours late", at(4, 7, 0), at(4, 11, 0),
			[]string{"2024-03-04 11:00 +0200", "2024-03-05 08:00 +0200"}, []string{"2024-03-04", "2024-03-05"}},
		{"back just within 12 hours", at(4, 7, 0), at(4, 20, 0),
			[]string{"2024-03-04 20:00 +0200", "2024-03-05 08:00 +0200"}, []string{"2024-03-04", "2024-03-05"}},
		{"back after 12 hours: the next regular one covers it", at(4, 7, 0), at(4, 20, 1),
			[]string{"2024-03-05 08:00 +0200"}, []string{"2024-03-05"}},
		{"down three days: only the latest missed one", at(2, 7, 0), at(4, 9, 15),
			[]string{"2024-03-04 09:15 +0200", "2024-03-05 08:00 +0200"}, []string{"2024-03-04", "2024-03-05"}},
		{"down three days, back 13 hours after the latest", at(2, 7, 0), at(4, 21, 0),
			[]string{"2024-03-05 08:00 +0200"}, []string{"2024-03-05"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clock := openTestStore(t)
			start := tt.downFrom.Add(-time.Hour)
			clock.Set(start)
			setSchedule(t, s, 1, "Europe/Kyiv", "08:00")
			sent := tickDigests(t, s, clock, start, tt.downFrom)
			for id, v := range tickDigests(t, s, clock, tt.backAt, at(5, 12, 0)) {
				sent[id] = append(sent[id], v...)
			}
			var got []string
			for _, x := range sent[1] {
				got = append(got, x.In(kyiv).Format(wallLayout))
			}
			if !equalStrings(got, tt.want) {
				t.Errorf("sent at %q, want %q", got, tt.want)
			}
			if dates := runDates(t, s, 1); !equalStrings(dates, tt.wantLocals) {
				t.Errorf("runs recorded for %q, want %q", dates, tt.wantLocals)
			}
		})
	}
}

func runDates(t *testing.T, s *Store, chatID int64) []string {
	t.Helper()
	rows, err := s.reader.Query(`SELECT local_date FROM digest_runs WHERE chat_id = ? ORDER BY local_date`, chatID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var dates []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			t.Fatal(err)
		}
		dates = append(dates, d)
	}
	return dates
}

// TestExpiredDigestKeepsEntriesForTheNext checks that a digest too late to send leaves its
// entries for the next regular one.
func TestExpiredDigestKeepsEntriesForTheNext(t *testing.T) {
	s, clock := openTestStore(t) // 2024-03-01 10:00 UTC, digests 08:00 UTC
	ctx := context.Background()
	mustIngest(t, s)
	mustStart(t, s, 1, "private")
	s.FollowTopic(ctx, 1, 0, "Drones")
	mustIngest(t, s, entry("a", "Drone one"))
	clock.Set(time.Date(2024, 3, 2, 21, 0, 0, 0, time.UTC)) // 13 hours after 03-02 08:00
	dues, err := s.dueDigests(ctx, clock.Now(), 10)
	if err != nil || len(dues) != 1 || !dues[0].Expired {
		t.Fatalf("dues %+v (%v), want one expired", dues, err)
	}
	items, cursor, _ := s.digestItems(ctx, 1, dues[0].Cursor)
	if queued, err := recordOneDigest(ctx, s, DigestRun{Due: dues[0], Messages: []string{"x"}, Entries: len(items), Cursor: cursor}); err != nil || queued {
		t.Fatalf("expired digest queued: %v %v", queued, err)
	}
	mustIngest(t, s, entry("b", "Drone two"))
	clock.Set(time.Date(2024, 3, 3, 8, 0, 0, 0, time.UTC))
	dues, _ = s.dueDigests(ctx, clock.Now(), 10)
	if len(dues) != 1 || dues[0].Expired {
		t.Fatalf("dues %+v, want the regular one", dues)
	}
	items, _, _ = s.digestItems(ctx, 1, dues[0].Cursor)
	if len(items) != 2 {
		t.Fatalf("%d items, want both entries: the expired digest's and the new one", len(items))
	}
}

// TestDigestNeverTwiceInALocalDay changes a chat's time or zone on the day it had its digest.
func TestDigestNeverTwiceInALocalDay(t *testing.T) {
	kyiv, _ := LoadZone("Europe/Kyiv")
	tests := []struct {
		name   string
		zone   string
		hhmm   string
		change func(t *testing.T, s *Store) // run an hour after the first digest
		want   []string                     // UTC send times until 03-07 00:00 Kyiv
	}{
		{"later time the same day", "Europe/Kyiv", "08:00",
			func(t *testing.T, s *Store) { mustSet(t)(s.SetDigestTime(context.Background(), 1, "20:00", 0)) },
			[]string{"2024-03-04 06:00", "2024-03-05 18:00", "2024-03-06 18:00"}},
		{"earlier time the next day is fine", "Europe/Kyiv", "08:00",
			func(t *testing.T, s *Store) { mustSet(t)(s.SetDigestTime(context.Background(), 1, "07:00", 0)) },
			[]string{"2024-03-04 06:00", "2024-03-05 05:00", "2024-03-06 05:00"}},
		{"to a zone still on the same day", "Europe/Kyiv", "08:00",
			func(t *testing.T, s *Store) {
				mustSet(t)(s.SetTimeZone(context.Background(), 1, mustZone(t, "New York")))
			},
			[]string{"2024-03-04 06:00", "2024-03-05 13:00", "2024-03-06 13:00"}},
		{"to a zone already on the next day", "Europe/Kyiv", "23:00",
			func(t *testing.T, s *Store) { mustSet(t)(s.SetTimeZone(context.Background(), 1, mustZone(t, "Tokyo"))) },
			// Kyiv's 23:00 on 03-04 was 06:00 on 03-05 in Tokyo: Tokyo's 23:00 that day is skipped.
			[]string{"2024-03-04 21:00", "2024-03-06 14:00"}},
		{"off and on again", "Europe/Kyiv", "08:00",
			func(t *testing.T, s *Store) {
				mustSet(t)(s.SetDigestTime(context.Background(), 1, "", 0))
				mustSet(t)(s.SetDigestTime(context.Background(), 1, "10:00", 0))
			},
			[]string{"2024-03-04 06:00", "2024-03-05 08:00", "2024-03-06 08:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clock := openTestStore(t)
			start := time.Date(2024, 3, 4, 0, 0, 0, 0, kyiv)
			clock.Set(start)
			setSchedule(t, s, 1, tt.zone, tt.hhmm)
			c, _ := s.Chat(context.Background(), 1)
			firstAt := c.NextDigest
			sent := tickDigests(t, s, clock, start, firstAt.Add(time.Hour))
			tt.change(t, s)
			for id, v := range tickDigests(t, s, clock, firstAt.Add(time.Hour), start.AddDate(0, 0, 3)) {
				sent[id] = append(sent[id], v...)
			}
			var got []string
			for _, x := range sent[1] {
				got = append(got, x.UTC().Format("2006-01-02 15:04"))
			}
			if !equalStrings(got, tt.want) {
				t.Errorf("sent at %q (UTC), want %q", got, tt.want)
			}
		})
	}
}

func mustSet(t *testing.T) func(Chat, error) {
	return func(_ Chat, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}

func mustZone(t *testing.T, s string) *time.Location {
	t.Helper()
	loc, err := ParseZone(s)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
