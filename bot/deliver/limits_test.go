package deliver

import (
	"context"
	"testing"
	"time"

	"livealert/subscriptions"
)

func TestReserveChat(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2024, 5, 14, 12, 0, 0, 0, time.UTC)
	private := subscriptions.DueChat{ID: 1, Type: "private"}
	group := subscriptions.DueChat{ID: -5, Type: "group"}
	channel := subscriptions.DueChat{ID: -1001, Type: "channel"}
	tests := []struct {
		name string
		chat subscriptions.DueChat
		at   []time.Duration // after t0, in order
		want []time.Duration // the wait reserveChat reports for each
	}{
		{"private: one a second", private, []time.Duration{0, 400 * time.Millisecond, time.Second, 1500 * time.Millisecond},
			[]time.Duration{0, 600 * time.Millisecond, 0, 500 * time.Millisecond}},
		{"a wait is not a send", private, []time.Duration{0, 200 * time.Millisecond, 900 * time.Millisecond, time.Second},
			[]time.Duration{0, 800 * time.Millisecond, 100 * time.Millisecond, 0}},
		{"group: 20 a minute with a margin", group, []time.Duration{0, 3 * time.Second, defaultGroupInterval},
			[]time.Duration{0, 100 * time.Millisecond, 0}},
		{"channel counts as a group", channel, []time.Duration{0, time.Second}, []time.Duration{0, defaultGroupInterval - time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newSendLimits(Options{Rate: DefaultRate, PrivateInterval: defaultPrivateInterval, GroupInterval: defaultGroupInterval})
			for i, at := range tt.at {
				now := t0.Add(at)
				got := l.chatWait(tt.chat, now)
				if (got - tt.want[i]).Abs() > time.Millisecond {
					t.Fatalf("try %d at +%v: wait %v, want %v", i, at, got, tt.want[i])
				}
				if got == 0 {
					if d := l.takeChat(tt.chat, now); d != 0 {
						t.Fatalf("try %d at +%v: taking a free slot waits %v", i, at, d)
					}
				}
			}
		})
	}
	lifted := newSendLimits(Options{Rate: -1, PrivateInterval: -1, GroupInterval: -1})
	for i := range 100 {
		if got := lifted.chatWait(private, t0) + lifted.takeChat(private, t0); got != 0 {
			t.Fatalf("lifted limits made send %d wait %v", i, got)
		}
	}
}

func TestSendWindow(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2024, 5, 14, 12, 0, 0, 0, time.UTC)
	const trip = 100 * time.Millisecond
	w := newSendWindow(3, time.Second)
	tests := []struct {
		at     time.Duration
		answer bool          // the oldest send in flight is answered at at, after trip
		want   time.Duration // for a take: 0 when allowed and counted
	}{
		{at: 0},
		{at: 100 * time.Millisecond},
		{at: 200 * time.Millisecond},
		// Three in flight: nothing leaves before an answer.
		{at: 250 * time.Millisecond, want: time.Second},
		{at: 300 * time.Millisecond, answer: true}, // sent at 0: counted at 200ms from now on
		{at: 300 * time.Millisecond, want: 901 * time.Millisecond},
		{at: 1199 * time.Millisecond, want: 2 * time.Millisecond},
		{at: 1200 * time.Millisecond},
		{at: 1300 * time.Millisecond, answer: true},
		{at: 1300 * time.Millisecond, answer: true},
		// Answered at 1.3s, counted as arrived at 1.2s: in the window until 2.2s.
		{at: 1400 * time.Millisecond, want: 801 * time.Millisecond},
		{at: 2201 * time.Millisecond},
	}
	for i, tt := range tests {
		now := t0.Add(tt.at)
		if tt.answer {
			w.finishAt(now, trip)
			continue
		}
		if got, _ := w.tryTake(now); got != tt.want {
			t.Fatalf("event %d at +%v: wait %v, want %v", i, tt.at, got, tt.want)
		}
	}
}

func TestBoundInFlight(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rate float64
		hold time.Duration
		max  int
		want int
	}{
		{25, 100 * time.Millisecond, 32, 4},      // 3 needed, at least 4
		{25, time.Second, 32, 30},                // 25 × 1s × 1.2
		{25, 5 * time.Second, 32, 32},            // at most Senders
		{1000, 100 * time.Millisecond, 256, 120}, // paid broadcast at 100ms
		{1000, 300 * time.Millisecond, 256, 256}, // bounded
		{25, 100 * time.Millisecond, 2, 2},       // Senders below the least
	}
	for _, tt := range tests {
		if got := boundInFlight(tt.rate, tt.hold, tt.max); got != tt.want {
			t.Errorf("boundInFlight(%v, %v, %d) = %d, want %d", tt.rate, tt.hold, tt.max, got, tt.want)
		}
	}
}

func TestFlightFollowsTheRoundTrip(t *testing.T) {
	t.Parallel()
	f := newFlight(1000, 256)
	if _, limit := f.inFlight(); limit != minInFlight {
		t.Fatalf("limit before any send %d, want %d", limit, minInFlight)
	}
	for range tripSamples {
		f.mu.Lock()
		f.active++
		f.mu.Unlock()
		f.release(50 * time.Millisecond)
	}
	if _, limit := f.inFlight(); limit != 60 {
		t.Fatalf("limit at 50ms holds and 1000/s: %d, want 60", limit)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var releases []func()
	for range 60 {
		release, err := f.acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		releases = append(releases, release)
	}
	cancel()
	if _, err := f.acquire(ctx); err == nil {
		t.Fatal("a 61st send was let in flight")
	}
	for _, release := range releases {
		release()
	}
	if active, _ := f.inFlight(); active != 0 {
		t.Fatalf("%d in flight after every release", active)
	}
}
