package deliver

import (
	"context"
	"slices"
	"sync"
	"time"
)

// sendWindow caps the sends Telegram may count in any trailing span at limit. Telegram counts
// a send when it arrives, somewhere between its start and its answer, and a loaded machine or
// network can bunch sends that started evenly spaced. So the window counts conservatively:
// a send still in flight counts as arriving now, and a finished one as arriving at its answer
// less the least round trip seen (the latest it can have arrived, given that the next send
// needs at least the rest of a round trip to get there). It is what keeps a catch-up after a
// stall (the global limiter's burst) and bunched arrivals from ever reaching Telegram's
// limit.
type sendWindow struct {
	limit int
	span  time.Duration

	mu       sync.Mutex
	inFlight int
	answered []time.Time   // answers of finished sends still in the window, oldest first
	minTrip  time.Duration // the least round trip seen
	freed    chan struct{} // closed and replaced when a send finishes
}

func newSendWindow(limit int, span time.Duration) *sendWindow {
	return &sendWindow{limit: limit, span: span, freed: make(chan struct{})}
}

// take waits until one more send now stays within the limit, and counts it as in flight. It
// returns the function to call with the send's round trip once it is answered (or failed
// without one: 0), or ctx's error if ctx ends first.
func (w *sendWindow) take(ctx context.Context) (finish func(trip time.Duration), err error) {
	for {
		wait, freed := w.tryTake(time.Now())
		if wait == 0 {
			return w.finish, nil
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		case <-freed:
			t.Stop()
		}
	}
}

// tryTake counts a send at now and returns 0 if the window allows it, else how long until it
// may (at most a span: an answer may come first) and a channel closed when a send finishes.
func (w *sendWindow) tryTake(now time.Time) (time.Duration, <-chan struct{}) {
	w.mu.Lock()
	defer w.mu.Unlock()
	since := now.Add(-w.span + w.minTrip) // answers after since are still counted
	n := 0
	for n < len(w.answered) && !w.answered[n].After(since) {
		n++
	}
	w.answered = w.answered[n:]
	over := w.inFlight + len(w.answered) - w.limit // how many must leave before one more may
	if over < 0 {
		w.inFlight++
		return 0, nil
	}
	if over >= len(w.answered) {
		return w.span, w.freed // only answers in flight can make room
	}
	return w.answered[over].Sub(since) + time.Millisecond, w.freed
}

// finish records that a send counted by take was answered after trip.
func (w *sendWindow) finish(trip time.Duration) { w.finishAt(time.Now(), trip) }

// finishAt records that a send counted by take was answered at at, after trip.
func (w *sendWindow) finishAt(at time.Time, trip time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.inFlight--
	if trip > 0 && (w.minTrip == 0 || trip < w.minTrip) {
		w.minTrip = min(trip, w.span/2)
	}
	i := len(w.answered) // answers stay in order
	for i > 0 && w.answered[i-1].After(at) {
		i--
	}
	w.answered = slices.Insert(w.answered, i, at)
	close(w.freed)
	w.freed = make(chan struct{})
}

// sleepCtx waits for d, or returns ctx's error if ctx ends first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
