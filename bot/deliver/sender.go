// Package deliver is livealert's sender: it drains the outbox and sends the answers to
// commands, within Telegram's rate limits (global, per chat, and any 429 pause), keeps at most
// Options.Senders messages in flight, records a message as delivered only once Telegram
// accepted it, and applies Telegram's error policy (429 pauses every send, a migrated group is
// moved, a chat that blocked the bot is deactivated, a refused message is dead-lettered, a
// server or network error is retried with backoff). What it keeps of Telegram across restarts
// (the update offset, the 429 pause) is in the store's key-value (see telegram_state.go).
package deliver

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"golang.org/x/sync/errgroup"

	"livealert/subscriptions"
)

// Options configure a Sender. Client, Store and Render are required; other zero values take
// the defaults said per field.
type Options struct {
	// Client makes the Bot API calls.
	Client *tgbot.Bot
	// Store holds the outbox, the chats and Telegram's state.
	Store  *subscriptions.Store
	Logger *slog.Logger // discards when nil
	// Now is the clock of the outbox (due times, backoff, giving up); time.Now when nil.
	Now func() time.Time
	// Rate caps messages per second over all chats: DefaultRate when zero, no cap when
	// negative.
	Rate float64
	// PaidBroadcast sends alerts with allow_paid_broadcast, for which Telegram accepts up to
	// 1000 messages a second (and charges Stars).
	PaidBroadcast bool
	// PrivateInterval is the least time between two messages to one private chat (1s when
	// zero), GroupInterval to one group or channel (3.1s when zero: 20 a minute with a margin
	// for jitter); no limit when negative.
	PrivateInterval, GroupInterval time.Duration
	// Senders bounds the messages in flight at once (MaxSenders when zero or less); within
	// it, the sends in flight follow what Rate needs at the measured round trip. A crash
	// duplicates at most the sends in flight.
	Senders int
	// Render renders due alerts of one chat, oldest first, as one message: as many as fit, at
	// least one. It returns the text (Telegram HTML) and how many of ds it holds.
	Render func(ds []subscriptions.Delivery) (text string, n int)
	// RenderAlso returns text, the Telegram HTML of a story's first alert as it stands, with a
	// line added for d, an alert of the same story from another source; false when the
	// result would be too long. When nil, such alerts go out as alerts of their own.
	RenderAlso func(text string, d subscriptions.Delivery) (string, bool)
	// Keyboard returns the buttons under a message made of rows, or nil; no buttons when nil.
	Keyboard func(ctx context.Context, rows []subscriptions.Delivery) *models.InlineKeyboardMarkup
	// Redact returns an error's message as it may be logged (the bot token masked);
	// error.Error when nil.
	Redact func(error) string
	// Observe, when set, is told what became of every message of the outbox sent or tried,
	// for metrics. It must not block.
	Observe func(Outcome)
	// UnpacedReplies leaves the chats' limiters out of replies: only the global limit and 429
	// pauses hold them back. For tests against a fake that does not enforce Telegram's limits.
	UnpacedReplies bool
}

// Outcome is what became of one message of the outbox, as Options.Observe is told it.
type Outcome struct {
	// Kind is the message's (subscriptions.KindAlert or KindDigest), Rows what it carried.
	Kind string
	Rows []subscriptions.Delivery
	// Took is the sendMessage call's round trip.
	Took time.Duration
	// Sent is when Telegram accepted it; zero when it did not.
	Sent time.Time
	// Failure says why it was not sent: "rate_limited", "migrated", "forbidden",
	// "bad_request" or "error"; "" when it was.
	Failure string
	// Pause is how long all sends pause after a 429 (Failure "rate_limited").
	Pause time.Duration
}

// PausedUntil is until when Telegram's last 429 pauses every send; the zero time or a past
// one when it does not.
func (s *Sender) PausedUntil() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pause
}

// InFlight returns the outbox messages in flight (sent and not yet answered and recorded)
// and their current bound.
func (s *Sender) InFlight() (active, limit int) { return s.flight.inFlight() }

// Sender drains the outbox. A dispatcher walks the chats with due messages in turn
// (round-robin by chat id) and hands each chat whose own rate limit allows a send to one of
// Options.Senders workers. A worker waits for a slot of the global rate limiter (handed out by
// one pacer) and for any 429 pause, takes the chat's slot, sends the chat's due alerts as one
// message (as many as fit) and removes them from the queue only once Telegram accepted it. A
// chat is handled by one worker at a time, so its messages keep their order. At most
// Options.Senders messages are in flight: a crash duplicates no more than that.
//
// Replies (see Reply) go out beside the outbox, within the same limits.
type Sender struct {
	opts   Options
	tg     *tgbot.Bot
	store  *subscriptions.Store
	log    *slog.Logger
	limits *sendLimits
	flight *flight
	acks   *acks
	// replies sends the answers to commands within the same limits.
	replies *replies
	wakeup  chan struct{} // messages were queued
	freed   chan struct{} // a worker finished a chat
	slots   chan struct{} // the global limiter's slots, handed out by pace

	mu    sync.Mutex
	busy  map[int64]bool // chats a worker holds
	solo  map[int64]bool // chats whose next messages go one alert each (a batch was refused)
	pause time.Time      // nothing is sent before; from Telegram's last 429
	// A chat released after the dispatcher read its queue may have had some of what was read
	// sent since: epoch counts releases, released says at which epoch each chat was last
	// released (since the last read).
	epoch    uint64
	released map[int64]uint64
}

// New returns a Sender of opts, with the defaults filled in. It sends nothing before Run.
func New(opts Options) *Sender {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Rate == 0 {
		opts.Rate = DefaultRate
	}
	if opts.PrivateInterval == 0 {
		opts.PrivateInterval = defaultPrivateInterval
	}
	if opts.GroupInterval == 0 {
		opts.GroupInterval = defaultGroupInterval
	}
	if opts.Senders <= 0 {
		opts.Senders = MaxSenders(opts.PaidBroadcast)
	}
	if opts.Keyboard == nil {
		opts.Keyboard = func(context.Context, []subscriptions.Delivery) *models.InlineKeyboardMarkup { return nil }
	}
	if opts.Redact == nil {
		opts.Redact = func(err error) string { return err.Error() }
	}
	s := &Sender{
		opts:     opts,
		tg:       opts.Client,
		store:    opts.Store,
		log:      opts.Logger,
		limits:   newSendLimits(opts),
		flight:   newFlight(opts.Rate, opts.Senders),
		acks:     newAcks(opts.Store),
		wakeup:   make(chan struct{}, 1),
		freed:    make(chan struct{}, 1),
		slots:    make(chan struct{}),
		busy:     map[int64]bool{},
		solo:     map[int64]bool{},
		released: map[int64]uint64{},
	}
	s.replies = newReplies(s, opts.UnpacedReplies)
	return s
}

// Wake tells the sender that messages were queued.
func (s *Sender) Wake() { signal(s.wakeup) }

func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// maxIdle bounds how long the sender sleeps without looking at the queue, so that a clock
// that jumps (or a row queued by another process) is noticed.
const maxIdle = 2 * time.Second

// dueChatsPage is how many chats the dispatcher reads from the store at once.
const dueChatsPage = 256

// Run sends the outbox until ctx ends. It returns nil then, or the first store error.
func (s *Sender) Run(ctx context.Context) error {
	if s.store == nil || s.tg == nil || s.opts.Render == nil {
		return errors.New("deliver: options lack a client, a store or a renderer")
	}
	if until, err := SendPause(ctx, s.store); err != nil {
		s.log.Error("read send pause failed", "error", err)
	} else if until.After(time.Now()) {
		s.log.Info("honouring telegram rate limit pause from before the restart", "until", until)
		s.setPause(until)
	}
	g, ctx := errgroup.WithContext(ctx)
	jobs := make(chan subscriptions.DueChat)
	acksCtx, stopAcks := context.WithCancel(context.WithoutCancel(ctx))
	acksDone := make(chan struct{})
	go func() {
		defer close(acksDone)
		s.acks.run(acksCtx)
	}()
	defer func() { stopAcks(); <-acksDone }()
	g.Go(func() error {
		s.pace(ctx)
		return nil
	})
	for range s.opts.Senders {
		g.Go(func() error {
			for c := range jobs {
				err := s.deliverChat(ctx, c)
				s.release(c.ID)
				if err != nil && ctx.Err() == nil {
					return err
				}
			}
			return nil
		})
	}
	g.Go(func() error {
		defer close(jobs)
		err := s.dispatch(ctx, jobs)
		if ctx.Err() != nil {
			return nil
		}
		return err
	})
	return g.Wait()
}

// dispatch hands chats with due messages to the workers, in rounds over the chat ids.
func (s *Sender) dispatch(ctx context.Context, jobs chan<- subscriptions.DueChat) error {
	cursor := int64(math.MinInt64)
	dispatched := 0    // in this round
	soonest := maxIdle // until a chat held back by its limiter may send
	for {
		if err := s.waitPause(ctx); err != nil {
			return err
		}
		readAt := s.newRead()
		page, err := s.store.DueQueues(ctx, cursor, dueChatsPage, maxBatch)
		if err != nil {
			return err
		}
		for _, c := range page {
			cursor = c.ID
			if !s.fresh(c.ID, readAt) {
				continue // busy, or its queue changed since it was read: next round
			}
			if wait := s.limits.chatWait(c, time.Now()); wait > 0 {
				soonest = min(soonest, wait)
				continue
			}
			s.hold(c.ID)
			select {
			case jobs <- c:
			case <-ctx.Done():
				s.release(c.ID)
				return ctx.Err()
			}
			dispatched++
		}
		if len(page) == dueChatsPage {
			continue // the round goes on
		}
		cursor = math.MinInt64
		if dispatched == 0 {
			if err := s.idle(ctx, soonest); err != nil {
				return err
			}
		}
		dispatched, soonest = 0, maxIdle
	}
}

// idle waits until the next queued message is due, a chat's limiter frees (after soonest),
// messages are queued, a worker finishes a chat, or maxIdle.
func (s *Sender) idle(ctx context.Context, soonest time.Duration) error {
	wait := min(soonest, maxIdle)
	if next, ok, err := s.store.NextDue(ctx); err == nil && ok {
		if d := next.Sub(s.opts.Now()); d > 0 {
			wait = min(wait, d)
		}
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-s.wakeup:
	case <-s.freed:
	case <-t.C:
	}
	return nil
}

// newRead marks the start of a read of the queue and returns its epoch.
func (s *Sender) newRead() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.released)
	return s.epoch
}

// fresh reports whether a chat's queue as read at epoch readAt may be sent: no worker holds
// the chat, and none released it since.
func (s *Sender) fresh(chatID int64, readAt uint64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.busy[chatID] && s.released[chatID] <= readAt
}

func (s *Sender) hold(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.busy[chatID] = true
}

func (s *Sender) release(chatID int64) {
	s.mu.Lock()
	delete(s.busy, chatID)
	s.epoch++
	s.released[chatID] = s.epoch
	s.mu.Unlock()
	signal(s.freed)
}

// setPause makes every send wait until until (never shortening a pause).
func (s *Sender) setPause(until time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if until.After(s.pause) {
		s.pause = until
	}
}

// waitPause returns once no 429 pause is in force, or ctx's error.
func (s *Sender) waitPause(ctx context.Context) error {
	for {
		s.mu.Lock()
		wait := time.Until(s.pause)
		s.mu.Unlock()
		if wait <= 0 {
			return nil
		}
		if err := sleepCtx(ctx, wait); err != nil {
			return err
		}
	}
}
