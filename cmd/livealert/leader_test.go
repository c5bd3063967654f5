package main

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"livealert/subscriptions"
)

// settableClock is a clock tests move by hand.
type settableClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *settableClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *settableClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// TestLeadershipEnds takes the lease of one instance over from another, which has stopped
// renewing it as a paused process would: the old leader's lead ends with ErrFenced at its next
// write, or with ErrLeaseLost at its next renewal when it writes nothing.
func TestLeadershipEnds(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		write bool
		want  error
	}{
		{"at a write", true, subscriptions.ErrFenced},
		{"at a renewal", false, subscriptions.ErrLeaseLost},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			clock := &settableClock{t: time.Date(2024, 5, 14, 12, 0, 0, 0, time.UTC)}
			path := filepath.Join(t.TempDir(), "shared.db")
			open := func() *subscriptions.Store {
				s, err := subscriptions.Open(ctx, subscriptions.Options{Path: path, Now: clock.Now})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				return s
			}
			oldStore, newStore := open(), open()
			old := newLeadership(oldStore, clock.Now, slog.New(slog.DiscardHandler))
			lead, err := old.lead(ctx)
			if err != nil {
				t.Fatal(err)
			}
			clock.Add(leaseTTL) // the old leader has not renewed for a whole lease
			next := newLeadership(newStore, clock.Now, slog.New(slog.DiscardHandler))
			if _, err := next.lead(ctx); err != nil {
				t.Fatal(err)
			}
			if c.write {
				if err := oldStore.RaiseInt(ctx, "k", 1); !errors.Is(err, subscriptions.ErrFenced) {
					t.Fatalf("the old leader's write: %v, want ErrFenced", err)
				}
			}
			select {
			case <-lead.Done():
			case <-ctx.Done():
				t.Fatal("the old leader's lead never ended")
			}
			if err := context.Cause(lead); !errors.Is(err, c.want) {
				t.Fatalf("the old lead ended with %v, want %v", err, c.want)
			}
			old.release(ctx) // does nothing: the lease is the new leader's
			if l, err := newStore.CurrentLease(ctx); err != nil || l.Holder != next.holder {
				t.Fatalf("lease after the old leader's release: %+v, %v; want the new leader's", l, err)
			}
			cancel()
			next.wg.Wait() // its renewals end before the stores close
		})
	}
}
