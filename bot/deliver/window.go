package deliver

import (
	"context"
	"sync"
	"time"
)

// sendWindow caps the sends started in any trailing span at limit, counting them when they
// start, as Telegram counts its 30 a second over any second. It is what keeps a catch-up after
// a stall (the global limiter's burst) from ever reaching Telegram's limit.
type sendWindow struct {
	limit int
	span  time.Duration

	mu    sync.Mutex
	times []time.Time // sends in the window, oldest first
}

func newSendWindow(limit int, span time.Duration) *sendWindow {
	return &sendWindow{limit: limit, span: span}
}

// take waits until one more send now stays within the limit, and counts it. It returns ctx's
// error if ctx ends first.
func (w *sendWindow) take(ctx context.Context) error {
	for {
		wait := w.tryTake(time.Now())
		if wait <= 0 {
			return nil
		}
		if err := sleepCtx(ctx, wait); err != nil {
			return err
		}
	}
}

// tryTake counts a send at now and returns 0 if the window allows it, else how long until it
// would.
func (w *sendWindow) tryTake(now time.Time) time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for n < len(w.times) && !w.times[n].After(now.Add(-w.span)) {
		n++
	}
	w.times = w.times[n:]
	if len(w.times) >= w.limit {
		return w.times[len(w.times)-w.limit].Add(w.span).Sub(now) + time.Millisecond
	}
	w.times = append(w.times, now)
	return 0
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
