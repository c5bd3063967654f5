package bot

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/robfig/cron/v3"
	"golang.org/x/sync/errgroup"

	"livealert/bot/render"
	"livealert/subscriptions"
)

// runDigests drives the minute's tick with cron until ctx ends. Each tick composes the digests
// of the chats whose time has come and tells the operators of sources that broke or work
// again and of delivery in trouble; a tick still running when the next is due makes that one skip, and a panic in a tick
// is logged, not fatal.
func (b *Bot) runDigests(ctx context.Context) error {
	c, logger, err := newTickCron(b.log, b.opts.DigestTick, func() {
		b.digestTick(ctx)
		b.watchSources(ctx)
		b.watchDelivery(ctx)
	})
	if err != nil {
		return err
	}
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	logger.close() // cron's own goroutine may still log its stop: not past our return
	return nil
}

// newTickCron returns a cron (not started) that runs job on spec (see parseTick), wrapped so
// that a panic in a run is logged and the next run still comes (cron's default chain does
// not recover), and a run still going when the next is due makes that one skip.
func newTickCron(log *slog.Logger, spec string, job func()) (*cron.Cron, *cronLogger, error) {
	logger := &cronLogger{log: log}
	schedule, err := parseTick(spec)
	if err != nil {
		return nil, nil, err
	}
	// Recover goes inside SkipIfStillRunning: outside, a panic would skip the wrapper's
	// release of its token, and every later run would be skipped as "still running".
	c := cron.New(cron.WithChain(cron.SkipIfStillRunning(logger), cron.Recover(logger)), cron.WithLogger(logger))
	c.Schedule(schedule, cron.FuncJob(job))
	return c, logger, nil
}

// digestBatch is how many due chats one digest step reads, renders and records together.
const digestBatch = 500

// digestTick queues the digest of every chat whose digest time has come, a batch at a time,
// in two stages that overlap: one reads the next batch of due chats and their items while the
// other renders and records (the one writer) the batch before.
func (b *Bot) digestTick(ctx context.Context) {
	b.metrics.digestTicks.Inc()
	now := b.opts.Now()
	g, gctx := errgroup.WithContext(ctx)
	batches := make(chan digestBatchItems, 1)
	g.Go(func() error {
		defer close(batches)
		var last subscriptions.DueDigest
		for {
			due, err := b.store.DueDigestsAfter(gctx, now, last, digestBatch)
			if err != nil || len(due) == 0 {
				return err
			}
			last = due[len(due)-1]
			items, cursor, err := b.store.DigestItemsOf(gctx, due)
			if err != nil {
				return err
			}
			select {
			case batches <- digestBatchItems{due, items, cursor}:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
	})
	queued := 0
	g.Go(func() error {
		r := render.NewDigestRenderer(b.renderSources()) // the tick's chats share entries and zones
		for batch := range batches {
			n, err := b.recordDigests(gctx, b.renderDigests(r, batch))
			if err != nil {
				return err
			}
			queued += n
		}
		return nil
	})
	if err := g.Wait(); err != nil && ctx.Err() == nil {
		b.log.Error("digest tick failed", "error", err)
	}
	if queued > 0 {
		b.log.Info("digests queued", "chats", queued)
		b.sender.Wake()
	}
}

// digestBatchItems is a batch of due chats with their items (DigestItemsOf's answer).
type digestBatchItems struct {
	due    []subscriptions.DueDigest
	items  [][]subscriptions.DigestItem
	cursor int64
}

// renderDigests renders the digests of a batch. A digest missed by more than
// subscriptions.CatchUpWindow gets no messages, which only moves its schedule: the next
// regular digest covers its entries.
func (b *Bot) renderDigests(r *render.DigestRenderer, batch digestBatchItems) []subscriptions.DigestRun {
	runs := make([]subscriptions.DigestRun, len(batch.due))
	for i, d := range batch.due {
		runs[i] = subscriptions.DigestRun{Due: d}
		if d.Expired {
			b.log.Info("missed digest skipped", "chat_id", d.Chat.ID, "scheduled", d.Scheduled)
			continue
		}
		l := b.chatLocale(d.Chat.Language)
		runs[i].Messages = r.Render(l, localDigestItems(b.store.Catalog(), l, batch.items[i]), d.Scheduled, d.Chat.TimeZone)
		runs[i].Entries = len(batch.items[i])
		runs[i].Cursor = max(batch.cursor, d.Cursor)
	}
	return runs
}

// recordDigests records rendered digests in one transaction and returns how many queued.
func (b *Bot) recordDigests(ctx context.Context, runs []subscriptions.DigestRun) (int, error) {
	queued, err := b.store.RecordDigests(ctx, runs)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, q := range queued {
		if q {
			n++
		}
	}
	return n, nil
}

// parseTick parses the digest tick's cron spec, which comes from the program, never from a
// chat (chats' digest times are parsed by subscriptions.ParseClock and scheduled by the store).
// Time zone prefixes are refused: the tick is zone-free, and robfig/cron panics on some of them.
func parseTick(spec string) (s cron.Schedule, err error) {
	if strings.Contains(spec, "TZ=") {
		return nil, fmt.Errorf("bot: digest tick %q: a time zone prefix is not allowed", spec)
	}
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("bot: digest tick %q: %v", spec, r)
		}
	}()
	s, err = cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("bot: digest tick %q: %w", spec, err)
	}
	return s, nil
}

// cronLogger adapts slog to cron's logger.
type cronLogger struct {
	log    *slog.Logger
	mu     sync.Mutex
	closed bool // after close, nothing is logged
}

func (l *cronLogger) Info(msg string, keysAndValues ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.closed {
		l.log.Debug("cron "+msg, keysAndValues...)
	}
}

func (l *cronLogger) Error(err error, msg string, keysAndValues ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.closed {
		l.log.Error("cron "+msg, append(keysAndValues, "error", err)...)
	}
}

// close makes the logger drop whatever cron logs from now on.
func (l *cronLogger) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
}
