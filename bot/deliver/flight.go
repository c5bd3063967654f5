package deliver

import (
	"context"
	"math"
	"slices"
	"sync"
	"time"
)

// The in-flight bound follows ceil(rate × p95 hold × flightHeadroom), where a send's hold is
// its round trip plus the commit of its acknowledgement, over the last tripSamples sends,
// recomputed every tripEvery, and never below minInFlight.
const (
	flightHeadroom = 1.2
	minInFlight    = 4
	tripSamples    = 256
	tripEvery      = 16
)

// flight bounds the sends in flight at once: enough for the rate at the measured round trip,
// and no more, since a crash duplicates the sends in flight. With no cap on the rate, or
// before any send was measured, the bound is max for the former and minInFlight for the
// latter.
type flight struct {
	rate float64 // sends a second; no cap when <= 0
	max  int

	mu     sync.Mutex
	active int
	limit  int
	holds  []time.Duration // the last tripSamples holds, a ring
	next   int             // where the next hold goes in holds
	fresh  int             // holds since the limit was computed
	freed  chan struct{}   // closed and replaced when a send leaves
}

func newFlight(rate float64, maxInFlight int) *flight {
	f := &flight{rate: rate, max: maxInFlight, limit: min(minInFlight, maxInFlight), freed: make(chan struct{})}
	if rate <= 0 {
		f.limit = maxInFlight
	}
	return f
}

// acquire waits until one more send may be in flight and counts it. The returned release
// ends it; it must be called once, when the send's outcome is recorded.
func (f *flight) acquire(ctx context.Context) (release func(), err error) {
	for {
		f.mu.Lock()
		if f.active < f.limit {
			f.active++
			f.mu.Unlock()
			start := time.Now()
			return func() { f.release(time.Since(start)) }, nil
		}
		freed := f.freed
		f.mu.Unlock()
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-freed:
		}
	}
}

func (f *flight) release(hold time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.active--
	close(f.freed)
	f.freed = make(chan struct{})
	if f.rate <= 0 {
		return
	}
	if len(f.holds) < tripSamples {
		f.holds = append(f.holds, hold)
	} else {
		f.holds[f.next] = hold
	}
	f.next = (f.next + 1) % tripSamples
	if f.fresh++; f.fresh >= tripEvery || len(f.holds) < tripEvery {
		f.fresh = 0
		f.limit = boundInFlight(f.rate, p95(f.holds), f.max)
	}
}

// boundInFlight is the sends in flight that rate needs when a send holds its place for hold.
func boundInFlight(rate float64, hold time.Duration, maxInFlight int) int {
	need := math.Ceil(rate * hold.Seconds() * flightHeadroom)
	return int(max(float64(min(minInFlight, maxInFlight)), min(float64(maxInFlight), need)))
}

// p95 is the 95th percentile of ds (not empty).
func p95(ds []time.Duration) time.Duration {
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	return sorted[(len(sorted)*95-1)/100]
}

// inFlight returns the sends in flight and the current bound.
func (f *flight) inFlight() (active, limit int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.active, f.limit
}
