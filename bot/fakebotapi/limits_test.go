package fakebotapi

import (
	"errors"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"
)

func TestRateLimiterPrivateChat(t *testing.T) {
	l := newRateLimiter()
	t0 := time.Unix(1_700_000_000, 0)
	for i := range privateBurst {
		if _, ok := l.allow(1, true, false, t0); !ok {
			t.Fatalf("send %d of the burst refused", i+1)
		}
	}
	retry, ok := l.allow(1, true, false, t0)
	if ok || retry != 1 {
		t.Fatalf("send after the burst: ok %v, retry %d; want refused, retry 1", ok, retry)
	}
	if _, ok := l.allow(2, true, false, t0); !ok {
		t.Fatal("another private chat is limited too")
	}
	if _, ok := l.allow(1, true, false, t0.Add(999*time.Millisecond)); ok {
		t.Fatal("allowed before a token came back")
	}
	if _, ok := l.allow(1, true, false, t0.Add(time.Second)); !ok {
		t.Fatal("refused a second later")
	}
	if _, ok := l.allow(1, true, false, t0.Add(1500*time.Millisecond)); ok {
		t.Fatal("sustained rate above 1/s allowed")
	}
}

func TestRateLimiterGroup(t *testing.T) {
	l := newRateLimiter()
	t0 := time.Unix(1_700_000_000, 0)
	for i := range groupLimit {
		if _, ok := l.allow(-5, false, false, t0.Add(time.Duration(i)*time.Second)); !ok {
			t.Fatalf("group send %d refused", i+1)
		}
	}
	at := t0.Add(30 * time.Second)
	retry, ok := l.allow(-5, false, false, at)
	if ok || retry != 30 { // the first send leaves the window at t0+60s
		t.Fatalf("21st send within a minute: ok %v, retry %d; want refused, retry 30", ok, retry)
	}
	if _, ok := l.allow(-5, false, false, t0.Add(60*time.Second+time.Millisecond)); !ok {
		t.Fatal("refused after the first send left the window")
	}
}

func TestRateLimiterGlobal(t *testing.T) {
	l := newRateLimiter()
	t0 := time.Unix(1_700_000_000, 0)
	for i := range globalLimit {
		if _, ok := l.allow(int64(100+i), true, false, t0.Add(time.Duration(i)*time.Millisecond)); !ok {
			t.Fatalf("send %d refused", i+1)
		}
	}
	if retry, ok := l.allow(999, true, false, t0.Add(500*time.Millisecond)); ok || retry != 1 {
		t.Fatalf("31st send in a second: ok %v, retry %d", ok, retry)
	}
	if _, ok := l.allow(999, true, false, t0.Add(time.Second+time.Millisecond)); !ok {
		t.Fatal("refused after the window moved on")
	}
}

func TestEnforceLimits(t *testing.T) {
	s := newServer(t, Options{EnforceLimits: true})
	b := newClient(t, s)
	ctx := testContext(t)
	var served int
	for i := range privateBurst + 1 {
		_, err := b.SendMessage(ctx, sendParams(alice.ID, "x"))
		var tooMany *tgbot.TooManyRequestsError
		if i < privateBurst && err != nil {
			t.Fatalf("send %d: %v", i+1, err)
		}
		if i == privateBurst {
			if !errors.As(err, &tooMany) || tooMany.RetryAfter < 1 {
				t.Fatalf("send past the burst: %v", err)
			}
			served++
		}
	}
	if n := len(s.Messages(alice.ID)); n != privateBurst {
		t.Fatalf("%d messages stored, want %d", n, privateBurst)
	}
	for i := range groupLimit {
		if _, err := b.SendMessage(ctx, sendParams(-42, "x")); err != nil {
			t.Fatalf("group send %d: %v", i+1, err)
		}
	}
	_, err := b.SendMessage(ctx, sendParams(-42, "x"))
	var tooMany *tgbot.TooManyRequestsError
	if !errors.As(err, &tooMany) || tooMany.RetryAfter < 50 {
		t.Fatalf("21st group send in a minute: %v", err)
	}
	served++
	if s.TooManyRequestsServed() != served {
		t.Fatalf("TooManyRequestsServed() = %d, want %d", s.TooManyRequestsServed(), served)
	}
}

func TestRateLimiterPaid(t *testing.T) {
	l := newRateLimiter()
	t0 := time.Unix(1_700_000_000, 0)
	for i := range paidLimit {
		if _, ok := l.allow(int64(100+i), true, true, t0.Add(time.Duration(i)*time.Microsecond)); !ok {
			t.Fatalf("paid send %d refused", i+1)
		}
	}
	at := t0.Add(500 * time.Millisecond)
	if retry, ok := l.allow(5000, true, true, at); ok || retry != 1 {
		t.Fatalf("paid send %d in a second: ok %v, retry %d; want refused, retry 1", paidLimit+1, ok, retry)
	}
	if _, ok := l.allow(5001, true, false, at); ok {
		t.Fatal("a free send allowed past 30 a second because paid ones were")
	}
	if _, ok := l.allow(5000, true, true, t0.Add(time.Second+time.Millisecond)); !ok {
		t.Fatal("paid send refused after the window moved on")
	}
}
