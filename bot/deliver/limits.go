package deliver

import (
	"sync"
	"time"

	"golang.org/x/time/rate"

	"livealert/subscriptions"
)

// Telegram's limits on sending, as the defaults of Options.
const (
	defaultPrivateInterval = time.Second            // one message a second to a private chat
	defaultGroupInterval   = 3*time.Second + 100e6  // 20 a minute to a group, with a margin for jitter
	idleLimiterSweep       = 10_000                 // chat limiters kept before idle ones are dropped
	telegramGlobalLimit    = 30                     // messages a second Telegram accepts
	telegramPaidLimit      = 1000                   // with allow_paid_broadcast
	windowMargin           = 3                      // messages a second kept below Telegram's limit
	minGlobalBurst         = 3                      // global slots that may be taken at once, at least
	burstSpan              = 100 * time.Millisecond // and at most the rate's slots of this span
)

// DefaultRate is how many messages a second go out over all chats together unless
// Options.Rate says otherwise.
const DefaultRate = 25

// DefaultSenders and DefaultPaidSenders (with PaidBroadcast) bound the sends in flight at
// once unless Options.Senders says otherwise. Within the bound, the sends in flight follow
// what the rate needs at the measured round trip (see flight): a crash duplicates at most
// that many.
const (
	DefaultSenders     = 32
	DefaultPaidSenders = 256
)

// MaxSenders is the default bound on the sends in flight: DefaultPaidSenders with paid
// broadcasts, else DefaultSenders.
func MaxSenders(paid bool) int {
	if paid {
		return DefaultPaidSenders
	}
	return DefaultSenders
}

// sendLimits holds the sender's rate limiters: one over all chats and one per chat. The
// per-chat limiters are created on first use and dropped when idle.
type sendLimits struct {
	global          *rate.Limiter
	window          *sendWindow // nil when the global rate is not limited
	private, groups rate.Limit  // per chat; rate.Inf when unlimited

	mu    sync.Mutex
	chats map[int64]*rate.Limiter
}

func newSendLimits(opts Options) *sendLimits {
	l := &sendLimits{
		global:  rate.NewLimiter(rate.Inf, 0),
		private: interval(opts.PrivateInterval),
		groups:  interval(opts.GroupInterval),
		chats:   map[int64]*rate.Limiter{},
	}
	if opts.Rate > 0 {
		// A little burst makes up for slots a busy machine took late; the window keeps it
		// from reaching Telegram's limit.
		burst := max(minGlobalBurst, int(opts.Rate*burstSpan.Seconds()))
		l.global = rate.NewLimiter(rate.Limit(opts.Rate), burst)
		limit := telegramGlobalLimit
		if opts.PaidBroadcast {
			limit = telegramPaidLimit
		}
		l.window = newSendWindow(max(1, min(limit-windowMargin, int(opts.Rate)+burst)), time.Second)
	}
	return l
}

// interval is the rate of one message every d; rate.Inf for a negative d.
func interval(d time.Duration) rate.Limit {
	if d < 0 {
		return rate.Inf
	}
	return rate.Every(d)
}

// chatWait returns how long until the chat may be sent to: 0 when it may be now. It takes
// nothing; takeChat does, right before the send, so that the spacing holds on the wire however
// long a worker waited for its global slot.
func (l *sendLimits) chatWait(c subscriptions.DueChat, now time.Time) time.Duration {
	lim := l.chat(c, now)
	if lim == nil {
		return 0
	}
	tokens := lim.TokensAt(now)
	if tokens >= 1 {
		return 0
	}
	return time.Duration((1 - tokens) / float64(lim.Limit()) * float64(time.Second))
}

// takeChat takes the chat's next slot and returns how long to wait for it (0 unless another
// send to the chat came in between chatWait and now).
func (l *sendLimits) takeChat(c subscriptions.DueChat, now time.Time) time.Duration {
	lim := l.chat(c, now)
	if lim == nil {
		return 0
	}
	return lim.ReserveN(now, 1).DelayFrom(now)
}

// chat returns the chat's limiter, nil when its kind of chat is not limited.
func (l *sendLimits) chat(c subscriptions.DueChat, now time.Time) *rate.Limiter {
	limit := l.groups
	if c.Type == "private" {
		limit = l.private
	}
	if limit == rate.Inf {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	lim := l.chats[c.ID]
	if lim == nil {
		if len(l.chats) >= idleLimiterSweep {
			l.sweepLocked(now)
		}
		lim = rate.NewLimiter(limit, 1)
		l.chats[c.ID] = lim
	}
	return lim
}

// sweepLocked drops the limiters of chats that could send at once anyway. l.mu is held.
func (l *sendLimits) sweepLocked(now time.Time) {
	for id, lim := range l.chats {
		if lim.TokensAt(now) >= 1 {
			delete(l.chats, id)
		}
	}
}
