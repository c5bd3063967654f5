package bot

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Readiness: the bot is ready when its database answers, Telegram answered within
// telegramStale, and no 429 pause has more than pauseStale left.
const (
	telegramStale = 3 * time.Minute
	pauseStale    = time.Minute
)

// answered records when the Bot API server last answered a request at all (any HTTP status):
// long polling asks at least once per PollTimeout, so a fresh answer means Telegram is
// reachable.
type answered struct {
	next http.RoundTripper
	now  func() time.Time
	last atomic.Int64 // unix nanoseconds
}

func (a *answered) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := a.next.RoundTrip(req)
	if err == nil {
		a.last.Store(a.now().UnixNano())
	}
	return resp, err
}

// since is how long ago the server last answered; a very long time when it never did.
func (a *answered) since() time.Duration {
	last := a.last.Load()
	if last == 0 {
		return time.Duration(1<<63 - 1)
	}
	return a.now().Sub(time.Unix(0, last))
}

// ready returns why the bot is not ready, nil when it is.
func (b *Bot) ready(ctx context.Context) error {
	if _, err := b.store.OutboxStats(ctx); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	if d := b.telegram.since(); d > telegramStale {
		return fmt.Errorf("telegram: no answer for more than %s", telegramStale)
	}
	if left := time.Until(b.sender.PausedUntil()); left > pauseStale { // the pause is on the wall clock
		return fmt.Errorf("telegram: sending paused for %s more (429)", left.Truncate(time.Second))
	}
	return nil
}

// handler serves /healthz (the process answers), /readyz (see ready) and /metrics, and the
// webhook's path when there is one (see serveWebhook), until ctx ends.
func (b *Bot) handler(ctx context.Context) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", healthz)
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), scrapeTimeout)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := b.ready(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "not ready:", err)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(b.metrics.reg, promhttp.HandlerOpts{}))
	if b.webhook != nil {
		return withWebhook(b.webhook.path, b.serveWebhook(ctx), mux)
	}
	return mux
}

// healthz answers that the process answers.
func healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

// serveHTTP serves handler on ln until ctx ends, then closes ln.
func serveHTTP(ctx context.Context, ln net.Listener, handler http.Handler) error {
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("bot: http listener: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(shutdown)
	if serveErr := <-done; !errors.Is(serveErr, http.ErrServerClosed) && err == nil {
		err = serveErr
	}
	return err
}
