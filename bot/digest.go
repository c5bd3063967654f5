package bot

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/robfig/cron/v3"

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

// digestTick queues the digest of every chat whose digest time has come, a batch at a time.
func (b *Bot) digestTick(ctx context.Context) {
	now := b.opts.Now()
	queued := 0
	for ctx.Err() == nil {
		due, err := b.store.DueDigests(ctx, now, digestBatch)
		if err != nil {
			b.log.Error("digest tick failed", "error", err)
			return
		}
		if len(due) == 0 {
			break
		}
		n, err := b.composeDigests(ctx, due)
		if err != nil {
			b.log.Error("digests failed", "chats", len(due), "error", err)
			return
		}
		queued += n
	}
	if queued > 0 {
		b.log.Info("digests queued", "chats", queued)
		b.sender.wake()
	}
}

// composeDigest renders one chat's digest and records it with the chat's next digest time.
func (b *Bot) composeDigest(ctx context.Context, d subscriptions.DueDigest) (bool, error) {
	n, err := b.composeDigests(ctx, []subscriptions.DueDigest{d})
	return n == 1, err
}

// composeDigests renders the digests of due chats and records them, with each chat's next
// digest time, in one transaction; it returns how many were queued. A digest missed by more
// than subscriptions.CatchUpWindow only moves the schedule: the next regular digest covers
// its entries.
func (b *Bot) composeDigests(ctx context.Context, due []subscriptions.DueDigest) (int, error) {
	items, cursor, err := b.store.DigestItemsOf(ctx, due)
	if err != nil {
		return 0, err
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
