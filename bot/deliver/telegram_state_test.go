package deliver

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"livealert/subscriptions"
)

func openStateStore(t *testing.T) *subscriptions.Store {
	t.Helper()
	store, err := subscriptions.Open(context.Background(), subscriptions.Options{Path: filepath.Join(t.TempDir(), "state.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return store
}

func TestUpdateOffsetOnlyGrows(t *testing.T) {
	t.Parallel()
	store := openStateStore(t)
	ctx := context.Background()
	if got, err := UpdateOffset(ctx, store); err != nil || got != 0 {
		t.Fatalf("fresh store offset %d (%v), want 0", got, err)
	}
	for _, id := range []int64{5, 9, 7} {
		if err := SaveUpdateOffset(ctx, store, id); err != nil {
			t.Fatal(err)
		}
	}
	got, err := UpdateOffset(ctx, store)
	if err != nil || got != 9 {
		t.Fatalf("offset %d (%v), want 9", got, err)
	}
}

func TestSendPauseOnlyGrows(t *testing.T) {
	t.Parallel()
	store := openStateStore(t)
	ctx := context.Background()
	if p, err := SendPause(ctx, store); err != nil || !p.IsZero() {
		t.Fatalf("fresh store pause %v (%v), want none", p, err)
	}
	until := time.Date(2024, 3, 1, 10, 0, 7, 250e6, time.UTC)
	if err := setSendPause(ctx, store, until); err != nil {
		t.Fatal(err)
	}
	if err := setSendPause(ctx, store, until.Add(-5*time.Second)); err != nil {
		t.Fatal(err)
	}
	if p, _ := SendPause(ctx, store); !p.Equal(until) {
		t.Fatalf("pause %v, want %v (a shorter pause must not shorten it)", p, until)
	}
}
