package bot

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// runLed runs the bot as one of several instances on one database (Options.Lead). It serves
// HTTP at once as a standby — /healthz 200, everything else (/readyz, /metrics, the webhook)
// 503 "standby", so that a proxy sends traffic to the leader and Telegram retries a delivery
// that reached a standby — and waits for Lead. Once this instance leads, it makes the bot,
// which reads what the previous leader left (the update offset, the outbox), and runs it
// under the lead's context, serving the bot's HTTP on the same listener.
//
// It returns nil when ctx ended, the cause of the lead's end when the lead ended first (the
// process should exit: a new start waits as a standby, with nothing of the lost term left in
// memory), or the error that stopped the bot.
func runLed(ctx context.Context, opts Options) error {
	var h switchHandler
	h.set(http.HandlerFunc(standby))
	g, gctx := errgroup.WithContext(ctx)
	if opts.HTTP != nil {
		g.Go(func() error { return serveHTTP(gctx, opts.HTTP, &h) })
	}
	g.Go(func() error {
		lead, err := opts.Lead(gctx)
		if err != nil {
			if gctx.Err() != nil {
				return nil
			}
			return err
		}
		b, err := newBot(opts)
		if err != nil {
			return err
		}
		h.set(b.handler(lead))
		if err := b.run(lead); err != nil {
			return err
		}
		if ctx.Err() == nil {
			return fmt.Errorf("bot: no longer the leader: %w", context.Cause(lead))
		}
		return nil
	})
	return g.Wait()
}

// standby answers /healthz as the bot does and every other request 503 "standby".
func standby(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && r.URL.Path == "/healthz" {
		healthz(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusServiceUnavailable)
	fmt.Fprintln(w, "standby")
}

// switchHandler serves through the handler last set.
type switchHandler struct {
	h atomic.Pointer[http.Handler]
}

func (s *switchHandler) set(h http.Handler) { s.h.Store(&h) }

func (s *switchHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	(*s.h.Load()).ServeHTTP(w, r)
}
