package bot

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"golang.org/x/time/rate"

	"livealert/subscriptions"
)

// sender drains the outbox: it sends due messages oldest first within the global rate, and
// removes a message from the queue only once Telegram accepted it.
type sender struct {
	b       *Bot
	limiter *rate.Limiter
	wakeup  chan struct{}
}

func newSender(b *Bot) *sender {
	return &sender{
		b:       b,
		limiter: rate.NewLimiter(rate.Limit(b.opts.Rate), max(1, int(b.opts.Rate))),
		wakeup:  make(chan struct{}, 1),
	}
}

// wake tells the sender that messages were queued.
func (s *sender) wake() {
	select {
	case s.wakeup <- struct{}{}:
	default:
	}
}

// maxIdle bounds how long the sender sleeps without looking at the queue, so that a clock
// that jumps (or a row queued by another process) is noticed.
const maxIdle = 2 * time.Second

func (s *sender) run(ctx context.Context) error {
	for {
		batch, err := s.b.store.DueDeliveries(ctx, 100)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		if len(batch) == 0 {
			if err := s.idle(ctx); err != nil {
				return nil
			}
			continue
		}
		for _, d := range batch {
			requery, err := s.deliver(ctx, d)
			if ctx.Err() != nil {
				return nil
			}
			if err != nil {
				return err
			}
			if requery {
				break
			}
		}
	}
}

// idle waits until the next queued message is due, a wake-up, or maxIdle.
func (s *sender) idle(ctx context.Context) error {
	wait := maxIdle
	if next, ok, err := s.b.store.NextDue(ctx); err == nil && ok {
		wait = min(wait, max(0, next.Sub(s.b.opts.Now())))
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-s.wakeup:
	case <-t.C:
	}
	return nil
}

// deliver sends one message and records the outcome. It reports requery when the batch it
// came from is stale (the chat moved) and returns an error only when the store failed.
func (s *sender) deliver(ctx context.Context, d subscriptions.Delivery) (requery bool, err error) {
	b := s.b
	text := d.Text
	if d.Kind == subscriptions.KindAlert {
		text = renderAlert(d, b.sources[d.Entry.Source], b.opts.Now())
	}
	if err := s.limiter.Wait(ctx); err != nil {
		return false, nil
	}
	// A send under way is finished, not abandoned, when ctx ends: Telegram may already have
	// accepted it, and only its answer lets the row leave the queue.
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	_, sendErr := b.tg.SendMessage(sendCtx, sendParams(d.ChatID, d.ThreadID, text, nil))
	cancel()
	if sendErr == nil {
		return false, b.store.Delivered(context.WithoutCancel(ctx), d.ID)
	}
	if ctx.Err() != nil {
		return false, nil
	}
	log := b.log.With("chat_id", d.ChatID, "outbox_id", d.ID, "kind", d.Kind)
	var tooMany *tgbot.TooManyRequestsError
	var migrate *tgbot.MigrateError
	switch {
	case errors.As(sendErr, &tooMany):
		pause := time.Duration(max(1, tooMany.RetryAfter)) * time.Second
		log.Warn("telegram rate limit, pausing", "retry_after", pause)
		select {
		case <-ctx.Done():
		case <-time.After(pause):
		}
		return true, nil
	case errors.As(sendErr, &migrate):
		log.Info("chat migrated", "new_chat_id", migrate.MigrateToChatID)
		return true, b.store.MigrateChat(ctx, d.ChatID, int64(migrate.MigrateToChatID))
	case errors.Is(sendErr, tgbot.ErrorForbidden):
		dropped, err := b.store.DeactivateChat(ctx, d.ChatID)
		log.Info("chat refused messages, deactivated", "dropped", dropped, "error", b.redact(sendErr))
		return true, err
	case errors.Is(sendErr, tgbot.ErrorBadRequest):
		log.Error("telegram refused message", "error", b.redact(sendErr))
		return false, b.store.DeadLetter(ctx, d.ID, strings.TrimSpace(b.redact(sendErr)))
	default:
		delay := retryDelay(d.Attempts)
		log.Warn("send failed, will retry", "error", b.redact(sendErr), "retry_in", delay)
		return false, b.store.Postpone(ctx, d.ID, b.opts.Now().Add(delay), b.redact(sendErr))
	}
}

// retryDelay is the wait before the next attempt after attempts failures: exponential from
// 2s, capped at 10 minutes, with ±20% jitter.
func retryDelay(attempts int) time.Duration {
	d := 2 * time.Second << min(attempts, 9)
	d = min(d, 10*time.Minute)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}
