package subscriptions

import (
	"fmt"
	"strings"
	"time"
)

// ParseQuietHours reads quiet hours as "23:00-07:00" (an en dash or " to " also do) and
// returns them as "HH:MM" start and end. The hours may wrap midnight; start and end must
// differ.
func ParseQuietHours(s string) (start, end string, err error) {
	norm := strings.NewReplacer("–", "-", "—", "-", " to ", "-", " ", "").Replace(strings.ToLower(strings.TrimSpace(s)))
	a, b, ok := strings.Cut(norm, "-")
	if !ok {
		return "", "", fmt.Errorf("subscriptions: %q is not quiet hours like 23:00-07:00", s)
	}
	h1, m1, err1 := ParseClock(a)
	h2, m2, err2 := ParseClock(b)
	if err1 != nil || err2 != nil {
		return "", "", fmt.Errorf("subscriptions: %q is not quiet hours like 23:00-07:00", s)
	}
	if h1 == h2 && m1 == m2 {
		return "", "", fmt.Errorf("subscriptions: quiet hours %q start and end at the same time", s)
	}
	return fmt.Sprintf("%02d:%02d", h1, m1), fmt.Sprintf("%02d:%02d", h2, m2), nil
}

// quietUntil reports whether now falls in the quiet hours [start, end) of the wall clock in
// loc, and if so the instant they end (the next time the clock reads end, with NextDigest's
// rules on days the clock jumps). start == "" means no quiet hours.
func quietUntil(now time.Time, start, end string, loc *time.Location) (time.Time, bool) {
	if start == "" || end == "" {
		return time.Time{}, false
	}
	h1, m1, err1 := ParseClock(start)
	h2, m2, err2 := ParseClock(end)
	if err1 != nil || err2 != nil {
		return time.Time{}, false
	}
	l := now.In(loc)
	at, from, to := l.Hour()*60+l.Minute(), h1*60+m1, h2*60+m2
	in := at >= from && at < to
	if from > to { // wraps midnight
		in = at >= from || at < to
	}
	if !in {
		return time.Time{}, false
	}
	return NextDigest(now, end, loc), true
}
