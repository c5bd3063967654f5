package deliver

import (
	"testing"
	"time"

	"livealert/subscriptions"
)

func TestReserveChat(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2024, 5, 14, 12, 0, 0, 0, time.UTC)
	private := subscriptions.DueChat{ID: 1, Type: "private"}
	group := subscriptions.DueChat{ID: -5, Type: "group"}
	channel := subscriptions.DueChat{ID: -1001, Type: "channel"}
	tests := []struct {
		name string
		chat subscriptions.DueChat
		at   []time.Duration // after t0, in order
		want []time.Duration // the wait reserveChat reports for each
	}{
		{"private: one a second", private, []time.Duration{0, 400 * time.Millisecond, time.Second, 1500 * time.Millisecond},
			[]time.Duration{0, 600 * time.Millisecond, 0, 500 * time.Millisecond}},
		{"a wait is not a send", private, []time.Duration{0, 200 * time.Millisecond, 900 * time.Millisecond, time.Second},
			[]time.Duration{0, 800 * time.Millisecond, 100 * time.Millisecond, 0}},
		{"group: 20 a minute with a margin", group, []time.Duration{0, 3 * time.Second, defaultGroupInterval},
			[]time.Duration{0, 100 * time.Millisecond, 0}},
		{"channel counts as a group", channel, []time.Duration{0, time.Second}, []time.Duration{0, defaultGroupInterval - time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newSendLimits(Options{Rate: DefaultRate, PrivateInterval: defaultPrivateInterval, GroupInterval: defaultGroupInterval})
			for i, at := range tt.at {
				now := t0.Add(at)
				got := l.chatWait(tt.chat, now)
				if (got - tt.want[i]).Abs() > time.Millisecond {
					t.Fatalf("try %d at +%v: wait %v, want %v", i, at, got, tt.want[i])
				}
				if got == 0 {
					if d := l.takeChat(tt.chat, now); d != 0 {
						t.Fatalf("try %d at +%v: taking a free slot waits %v", i, at, d)
					}
				}
			}
		})
	}
	lifted := newSendLimits(Options{Rate: -1, PrivateInterval: -1, GroupInterval: -1})
	for i := range 100 {
		if got := lifted.chatWait(private, t0) + lifted.takeChat(private, t0); got != 0 {
			t.Fatalf("lifted limits made send %d wait %v", i, got)
		}
	}
}

func TestSendWindow(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2024, 5, 14, 12, 0, 0, 0, time.UTC)
	w := newSendWindow(3, time.Second)
	tests := []struct {
		at   time.Duration
		want time.Duration // 0: allowed and counted
	}{
		{0, 0},
		{100 * time.Millisecond, 0},
		{200 * time.Millisecond, 0},
		{300 * time.Millisecond, 701 * time.Millisecond}, // until the first leaves the window
		{time.Second, 0},
		{1050 * time.Millisecond, 51 * time.Millisecond},
		{1100 * time.Millisecond, 0},
	}
	for i, tt := range tests {
		if got := w.tryTake(t0.Add(tt.at)); got != tt.want {
			t.Fatalf("send %d at +%v: wait %v, want %v", i, tt.at, got, tt.want)
		}
	}
}
