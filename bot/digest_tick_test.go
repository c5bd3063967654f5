package bot

import (
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestParseTick(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		spec string
		ok   bool
	}{
		{"every minute", "* * * * *", true},
		{"every five minutes", "*/5 * * * *", true},
		{"descriptor", "@every 30s", true},
		{"zone prefix alone would panic cron's parser", "CRON_TZ=UTC", false},
		{"zone prefix", "TZ=Europe/Kyiv * * * * *", false},
		{"a chat's clock is not a spec", "08:00", false},
		{"empty", "", false},
		{"too many fields", "* * * * * *", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseTick(tt.spec)
			if (err == nil) != tt.ok {
				t.Fatalf("parseTick(%q) error %v, want ok %v", tt.spec, err, tt.ok)
			}
		})
	}
}

// TestTickCronRecovers: a tick that panics is logged, and the next tick still runs.
func TestTickCronRecovers(t *testing.T) {
	t.Parallel()
	var logged strings.Builder
	var mu sync.Mutex
	log := slog.New(slog.NewTextHandler(&lockedWriter{mu: &mu, w: &logged}, nil))
	runs := make(chan int, 10)
	n := 0
	c, _, err := newTickCron(log, "@every 1s", func() {
		n++
		runs <- n
		if n == 1 {
			panic("tick blew up")
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	c.Start()
	defer func() { <-c.Stop().Done() }()
	timeout := time.After(harnessTimeout)
	for want := 1; want <= 2; want++ {
		select {
		case got := <-runs:
			if got != want {
				t.Fatalf("run %d, want %d", got, want)
			}
		case <-timeout:
			t.Fatalf("run %d never came: the panic stopped the cron", want)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(logged.String(), "tick blew up") {
		t.Fatalf("the panic was not logged:\n%s", logged.String())
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
