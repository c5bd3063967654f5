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

// digestTick queues the digest of every chat whose digest time has come.
func (b *Bot) digestTick(ctx context.Context) {
	now := b.opts.Now()
	queued := 0
	for ctx.Err() == nil {
		due, err := b.store.DueDigests(ctx, now, 200)
		if err != nil {
			b.log.Error("digest tick failed", "error", err)
			return
		}
		if len(due) == 0 {
			break
		}
		for _, d := range due {
			ok, err := b.composeDigest(ctx, d)
			if err != nil {
				b.log.Error("digest failed", "chat_id", d.Chat.ID, "error", err)
				return
			}
			if ok {
				queued++
			}
		}
	}
	if queued > 0 {
		b.log.Info("digests queued", "chats", queued)
		b.sender.wake()
	}
}

// composeDigest renders one chat's digest and records it with the chat's next digest time.
// A digest missed by more than subscriptions.CatchUpWindow only moves the schedule: the next
// regular digest covers its entries.
func (b *Bot) composeDigest(ctx context.Context, d subscriptions.DueDigest) (bool, error) {
	if d.Expired {
		b.log.Info("missed digest skipped", "chat_id", d.Chat.ID, "scheduled", d.Scheduled)
		return b.store.RecordDigest(ctx, subscriptions.DigestRun{Due: d})
	}
	items, cursor, err := b.store.DigestItems(ctx, d.Chat.ID, d.Cursor)
	if err != nil {
		return false, err
	}
	return b.store.RecordDigest(ctx, subscriptions.DigestRun{
		Due:      d,
		Messages: renderDigest(items, d.Scheduled, d.Chat.TimeZone, b.sources),
		Entries:  len(items),
		Cursor:   cursor,
	})
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
