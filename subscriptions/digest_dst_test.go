package subscriptions

import (
	"context"
	"testing"
	"time"
)

// tickDigests runs the digest tick's store side once a minute, on the minute, from from to to,
// recording a one-message digest for every chat due, and returns when each chat got one.
func tickDigests(t *testing.T, s *Store, clock *testClock, from, to time.Time) map[int64][]time.Time {
	t.Helper()
	ctx := context.Background()
	sent := map[int64][]time.Time{}
	for now := from; now.Before(to); now = now.Add(time.Minute) {
		clock.Set(now)
		dues, err := s.dueDigests(ctx, now, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range dues {
			queued, err := recordOneDigest(ctx, s, DigestRun{Due: d, Messages: []string{"digest"}, Entries: 1})
			if err != nil {
				t.Fatal(err)
			}
			if queued {
				sent[d.Chat.ID] = append(sent[d.Chat.ID], now)
			}
		}
	}
	return sent
}

// setSchedule gives a chat its zone and digest time at the clock's current reading.
func setSchedule(t *testing.T, s *Store, id int64, zone, hhmm string) {
	t.Helper()
	ctx := context.Background()
	mustStart(t, s, id, "private")
	loc, err := ParseZone(zone)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetTimeZone(ctx, id, loc); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetDigestTime(ctx, id, hhmm, 0); err != nil {
		t.Fatal(err)
	}
}

const wallLayout = "2006-01-02 15:04 -0700"

// TestDigestAcrossDST ticks a clock minute by minute over three days around each zone's
// spring-forward and fall-back and checks that every chat gets exactly one digest a local day,
// at its time or, when the clock skips it, at the first minute after the gap.
func TestDigestAcrossDST(t *testing.T) {
	type chat struct {
		hhmm string
		want []string // local send times, wallLayout
	}
	tests := []struct {
		name  string
		zone  string
		first string // the first local day ticked (three are)
		chats []chat
	}{
		{"Kyiv spring forward 03:00→04:00", "Europe/Kyiv", "2024-03-30", []chat{
			{"03:30", []string{"2024-03-30 03:30 +0200", "2024-03-31 04:00 +0300", "2024-04-01 03:30 +0300"}},
			{"03:00", []string{"2024-03-30 03:00 +0200", "2024-03-31 04:00 +0300", "2024-04-01 03:00 +0300"}},
			{"08:00", []string{"2024-03-30 08:00 +0200", "2024-03-31 08:00 +0300", "2024-04-01 08:00 +0300"}},
		}},
		{"Kyiv fall back 04:00→03:00", "Europe/Kyiv", "2024-10-26", []chat{
			{"03:30", []string{"2024-10-26 03:30 +0300", "2024-10-27 03:30 +0300", "2024-10-28 03:30 +0200"}},
			{"08:00", []string{"2024-10-26 08:00 +0300", "2024-10-27 08:00 +0200", "2024-10-28 08:00 +0200"}},
		}},
		{"Moscow spring forward 2010 02:00→03:00", "Europe/Moscow", "2010-03-27", []chat{
			{"02:30", []string{"2010-03-27 02:30 +0300", "2010-03-28 03:00 +0400", "2010-03-29 02:30 +0400"}},
		}},
		{"Moscow fall back 2014 02:00→01:00 for good", "Europe/Moscow", "2014-10-25", []chat{
			{"01:30", []string{"2014-10-25 01:30 +0400", "2014-10-26 01:30 +0400", "2014-10-27 01:30 +0300"}},
			{"08:00", []string{"2014-10-25 08:00 +0400", "2014-10-26 08:00 +0300", "2014-10-27 08:00 +0300"}},
		}},
		{"Moscow without DST", "Moscow", "2024-03-30", []chat{
			{"02:30", []string{"2024-03-30 02:30 +0300", "2024-03-31 02:30 +0300", "2024-04-01 02:30 +0300"}},
		}},
		{"New York spring forward 02:00→03:00", "America/New_York", "2024-03-09", []chat{
			{"02:30", []string{"2024-03-09 02:30 -0500", "2024-03-10 03:00 -0400", "2024-03-11 02:30 -0400"}},
			{"02:00", []string{"2024-03-09 02:00 -0500", "2024-03-10 03:00 -0400", "2024-03-11 02:00 -0400"}},
			{"03:00", []string{"2024-03-09 03:00 -0500", "2024-03-10 03:00 -0400", "2024-03-11 03:00 -0400"}},
		}},
		{"New York fall back 02:00→01:00", "America/New_York", "2024-11-02", []chat{
			{"01:30", []string{"2024-11-02 01:30 -0400", "2024-11-03 01:30 -0400", "2024-11-04 01:30 -0500"}},
			{"01:00", []string{"2024-11-02 01:00 -0400", "2024-11-03 01:00 -0400", "2024-11-04 01:00 -0500"}},
			{"00:00", []string{"2024-11-02 00:00 -0400", "2024-11-03 00:00 -0400", "2024-11-04 00:00 -0500"}},
		}},
		{"Lord Howe spring forward 02:00→02:30", "Australia/Lord_Howe", "2024-10-05", []chat{
			{"02:15", []string{"2024-10-05 02:15 +1030", "2024-10-06 02:30 +1100", "2024-10-07 02:15 +1100"}},
			{"02:30", []string{"2024-10-05 02:30 +1030", "2024-10-06 02:30 +1100", "2024-10-07 02:30 +1100"}},
		}},
		{"Lord Howe fall back 02:00→01:30", "Australia/Lord_Howe", "2024-04-06", []chat{
			{"01:45", []string{"2024-04-06 01:45 +1100", "2024-04-07 01:45 +1100", "2024-04-08 01:45 +1030"}},
			{"01:30", []string{"2024-04-06 01:30 +1100", "2024-04-07 01:30 +1100", "2024-04-08 01:30 +1030"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clock := openTestStore(t)
			loc, err := ParseZone(tt.zone)
			if err != nil {
				t.Fatal(err)
			}
			first, err := time.ParseInLocation(time.DateOnly, tt.first, loc)
			if err != nil {
				t.Fatal(err)
			}
			from := first.Add(-time.Hour)
			clock.Set(from)
			for i, c := range tt.chats {
				setSchedule(t, s, int64(i+1), tt.zone, c.hhmm)
			}
			sent := tickDigests(t, s, clock, from, first.AddDate(0, 0, 3))
			for i, c := range tt.chats {
				var got []string
				for _, at := range sent[int64(i+1)] {
					got = append(got, at.In(loc).Format(wallLayout))
				}
				if !equalStrings(got, c.want) {
					t.Errorf("digest at %s: sent at\n  %q\nwant\n  %q", c.hhmm, got, c.want)
				}
			}
		})
	}
}
