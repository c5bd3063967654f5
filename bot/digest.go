package bot

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/robfig/cron/v3"
	"golang.org/x/sync/errgroup"

	"livealert/subscriptions"
)

// runDigests drives the digest tick with cron until ctx ends. Each tick composes the digests
// of the chats whose time has come; a tick still running when the next is due makes that one
// skip, and a panic in a tick is logged, not fatal.
func (b *Bot) runDigests(ctx context.Context) error {
	logger := cronLogger{b.log}
	schedule, err := parseTick(b.opts.DigestTick)
	if err != nil {
		return err
	}
	c := cron.New(cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)), cron.WithLogger(logger))
	c.Schedule(schedule, cron.FuncJob(func() { b.digestTick(ctx) }))
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	return nil
}

// digestBatch is how many due chats one digest step reads, renders and records together.
const digestBatch = 500

// digestTick queues the digest of every chat whose digest time has come, a batch at a time:
// while one batch is recorded (the one writer), the next is read and rendered.
func (b *Bot) digestTick(ctx context.Context) {
	now := b.opts.Now()
	g, gctx := errgroup.WithContext(ctx)
	batches := make(chan []subscriptions.DigestRun, 1)
	g.Go(func() error {
		defer close(batches)
		var last subscriptions.DueDigest
		for {
			due, err := b.store.DueDigestsAfter(gctx, now, last, digestBatch)
			if err != nil || len(due) == 0 {
				return err
			}
			last = due[len(due)-1]
			runs, err := b.renderDigests(gctx, due)
			if err != nil {
				return err
			}
			select {
			case batches <- runs:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
	})
	queued := 0
	g.Go(func() error {
		for runs := range batches {
			n, err := b.recordDigests(gctx, runs)
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
		b.sender.wake()
	}
}

// composeDigests renders the digests of due chats and records them, with each chat's next
// digest time, in one transaction; it returns how many were queued.
func (b *Bot) composeDigests(ctx context.Context, due []subscriptions.DueDigest) (int, error) {
	runs, err := b.renderDigests(ctx, due)
	if err != nil {
		return 0, err
	}
	return b.recordDigests(ctx, runs)
}

// renderDigests reads and renders the digests of due chats. A digest missed by more than
// subscriptions.CatchUpWindow gets no messages, which only moves its schedule: the next
// regular digest covers its entries.
func (b *Bot) renderDigests(ctx context.Context, due []subscriptions.DueDigest) ([]subscriptions.DigestRun, error) {
	items, cursor, err := b.store.DigestItemsOf(ctx, due)
	if err != nil {
		return nil, err
	}
	runs := make([]subscriptions.DigestRun, len(due))
	for i, d := range due {
		runs[i] = subscriptions.DigestRun{Due: d}
		if d.Expired {
			b.log.Info("missed digest skipped", "chat_id", d.Chat.ID, "scheduled", d.Scheduled)
			continue
		}
		runs[i].Messages = renderDigest(items[i], d.Scheduled, d.Chat.TimeZone, b.sources)
		runs[i].Entries = len(items[i])
		runs[i].Cursor = max(cursor, d.Cursor)
	}
	return runs, nil
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
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, keysAndValues ...any) {
	l.log.Debug("cron "+msg, keysAndValues...)
}

func (l cronLogger) Error(err error, msg string, keysAndValues ...any) {
	l.log.Error("cron "+msg, append(keysAndValues, "error", err)...)
}
