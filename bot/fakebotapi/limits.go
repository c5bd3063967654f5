package fakebotapi

import (
	"time"
)

// Telegram's published limits for sending messages.
const (
	globalLimit   = 30   // messages per second, all chats together
	paidLimit     = 1000 // the same with allow_paid_broadcast: sends beyond 30 a second are paid
	globalWindow  = time.Second
	groupLimit    = 20 // messages per minute to one group or channel
	groupWindow   = time.Minute
	privateRate   = 1 // messages per second to one private chat, sustained
	privateBurst  = 3 // messages that may go to one private chat at once
	minRetryAfter = 1 // retry_after is whole seconds, at least 1
)

// rateLimiter enforces Telegram's limits on sendMessage: sliding windows for
// the global and per-group limits, a token bucket for private chats. A paid send
// (allow_paid_broadcast) is held to paidLimit instead of globalLimit; both count
// in the one global window. Only
// allowed sends count. It is not safe for concurrent use; the server calls
// it under its lock.
type rateLimiter struct {
	global  []time.Time              // sends in the last globalWindow, oldest first
	groups  map[int64][]time.Time    // sends in the last groupWindow, per chat
	private map[int64]*privateBucket // per chat
}

// privateBucket is a token bucket: tokens available at time at.
type privateBucket struct {
	tokens float64
	at     time.Time
}

func newRateLimiter() *rateLimiter {
	return &rateLimiter{groups: map[int64][]time.Time{}, private: map[int64]*privateBucket{}}
}

// allow reports whether a send to chatID at now, paid or not, is within the
// limits and, if so, counts it. If not, retryAfter is the whole number of seconds after which
// the same send would be allowed.
func (l *rateLimiter) allow(chatID int64, private, paid bool, now time.Time) (retryAfter int, ok bool) {
	l.global = prune(l.global, now.Add(-globalWindow))
	wait := time.Duration(0)
	limit := globalLimit
	if paid {
		limit = paidLimit
	}
	if len(l.global) >= limit {
		wait = max(wait, l.global[len(l.global)-limit].Add(globalWindow).Sub(now))
	}
	var bucket *privateBucket
	if private {
		bucket = l.private[chatID]
		if bucket == nil {
			bucket = &privateBucket{tokens: privateBurst, at: now}
			l.private[chatID] = bucket
		}
		if elapsed := now.Sub(bucket.at); elapsed > 0 {
			bucket.tokens = min(privateBurst, bucket.tokens+elapsed.Seconds()*privateRate)
			bucket.at = now
		}
		if bucket.tokens < 1 {
			wait = max(wait, time.Duration((1-bucket.tokens)/privateRate*float64(time.Second)))
		}
	} else {
		sent := prune(l.groups[chatID], now.Add(-groupWindow))
		l.groups[chatID] = sent
		if len(sent) >= groupLimit {
			wait = max(wait, sent[len(sent)-groupLimit].Add(groupWindow).Sub(now))
		}
	}
	if wait > 0 {
		return max(minRetryAfter, int((wait+time.Second-1)/time.Second)), false
	}
	l.global = append(l.global, now)
	if private {
		bucket.tokens--
	} else {
		l.groups[chatID] = append(l.groups[chatID], now)
	}
	return 0, true
}

// prune drops the times before since from ts (oldest first).
func prune(ts []time.Time, since time.Time) []time.Time {
	n := 0
	for n < len(ts) && !ts[n].After(since) {
		n++
	}
	if n == 0 {
		return ts
	}
	return append(ts[:0], ts[n:]...)
}

// TooManyRequestsServed is how many 429 replies the server has sent, from
// Options.EnforceLimits and from injected failures alike.
func (s *Server) TooManyRequestsServed() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.served429
}
