package subscriptions

import (
	"context"
	"testing"
	"time"

	"livealert/sources"
)

func TestSourceStatesListsEverySourceWithItsPage(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	if got, err := s.SourceStates(ctx); err != nil || len(got) != 0 {
		t.Fatalf("fresh store: %v, %v", got, err)
	}
	daily := sources.State{ETag: `"d1"`, LastSuccess: time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC), Page: "https://news.example.org/live/2024/mar/01/war"}
	broken := sources.State{Failures: 3, LastError: "sources: fetch https://x/: http status 503 Service Unavailable"}
	channel := sources.State{LastSuccess: time.Date(2024, 1, 5, 16, 2, 0, 0, time.UTC), LastPost: 4519}
	for name, st := range map[string]sources.State{"daily": daily, "broken": broken, "channel": channel} {
		if err := s.SaveSourceState(ctx, name, st); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.SourceStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got["daily"] != daily || got["broken"] != broken || got["channel"] != channel {
		t.Fatalf("states %+v", got)
	}
	if one, err := s.SourceState(ctx, "daily"); err != nil || one.Page != daily.Page {
		t.Fatalf("SourceState: %+v, %v", one, err)
	}
	if one, err := s.SourceState(ctx, "channel"); err != nil || one != channel {
		t.Fatalf("SourceState: %+v, %v", one, err)
	}
}
