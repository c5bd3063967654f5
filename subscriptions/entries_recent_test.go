package subscriptions

import (
	"context"
	"slices"
	"testing"
	"time"

	"livealert/sources"
	"livealert/subscriptions/match"
)

func TestRecentMatches(t *testing.T) {
	ctx := context.Background()
	s, clock := openTestStore(t)
	start := clock.Now()
	ingestAt := func(at time.Time, published time.Time, id, title string) {
		t.Helper()
		clock.Set(at)
		e := entry(id, title, "body of "+id)
		e.Published = published
		if _, err := s.Ingest(ctx, "wire", []sources.Entry{e}, IngestOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	ingestAt(start, start, "old", "Drones over Belgorod")
	ingestAt(start.Add(20*time.Hour), start.Add(20*time.Hour), "a", "Drones over Kyiv")
	ingestAt(start.Add(26*time.Hour), start.Add(25*time.Hour), "b", "Peace talks")
	ingestAt(start.Add(27*time.Hour), start.Add(27*time.Hour), "c", "Drone strike on Belgorod")
	now := start.Add(30 * time.Hour)

	ids := func(es []StoredEntry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.ID)
		}
		return out
	}
	q, err := match.ParseQuery("drones")
	if err != nil {
		t.Fatal(err)
	}
	belgorod, _ := s.Catalog().Compiled("belgorod")
	tests := []struct {
		name  string
		q     Matchable
		since time.Time
		want  []string
	}{
		{"last 24 hours", q, now.Add(-24 * time.Hour), []string{"c", "a"}},
		{"all history newest first", q, time.Time{}, []string{"c", "a", "old"}},
		{"topic", belgorod, time.Time{}, []string{"c", "old"}},
		{"nothing", q, now, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.RecentMatches(ctx, tt.q, tt.since)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), tt.want) {
				t.Errorf("RecentMatches = %v, want %v", ids(got), tt.want)
			}
		})
	}
	all, err := s.recentEntries(ctx, time.Time{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(all); !slices.Equal(got, []string{"c", "b"}) {
		t.Errorf("recentEntries limit 2 = %v, want [c b]", got)
	}
}
