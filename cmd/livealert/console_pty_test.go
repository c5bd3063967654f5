//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal through /dev/ptmx and returns its two ends: the program
// runs on the terminal end, the test plays the person at the controlling end.
func openPTY(t *testing.T) (control, terminal *os.File) {
	t.Helper()
	control, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skip("no pseudo-terminals here: ", err)
	}
	if err := unix.IoctlSetPointerInt(int(control.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(control.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	terminal, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.IoctlSetWinsize(int(terminal.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 50, Col: 200}); err != nil {
		t.Fatal(err)
	}
	return control, terminal
}

// screen collects what the program writes to the terminal.
type screen struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func (s *screen) read(f *os.File) {
	b := make([]byte, 4096)
	for {
		n, err := f.Read(b)
		s.mu.Lock()
		s.buf.Write(b[:n])
		close(s.changed)
		s.changed = make(chan struct{})
		s.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// waitFor blocks until the terminal has shown text since mark (an offset in what it showed),
// and returns the offset after it.
func (s *screen) waitFor(t *testing.T, mark int, text string) int {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		s.mu.Lock()
		shown, changed := s.buf.String(), s.changed
		s.mu.Unlock()
		if i := strings.Index(shown[mark:], text); i >= 0 {
			return mark + i + len(text)
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("the terminal did not show %q; it showed:\n%s", text, shown[mark:])
		}
	}
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// TestConsoleTerminal plays a person at a terminal: the welcome's topic buttons, one
// pressed by its number, /follow, the replay of a page as the clock passes its entries, the
// digest that ends it, then Ctrl-D. What the terminal showed is the golden file, escapes
// written as ␛.
func TestConsoleTerminal(t *testing.T) {
	t.Parallel()
	control, terminal := openPTY(t)
	defer control.Close()
	scr := &screen{changed: make(chan struct{})}
	go scr.read(control)

	start := time.Date(2026, 5, 7, 9, 0, 0, 0, time.UTC)
	clock := &e2eClock{now: start}
	var stderr bytes.Buffer
	p := &program{stdin: terminal, stdout: terminal, stderr: &syncWriter{w: &stderr},
		getenv: func(string) string { return "" }, now: clock.Now}
	done := make(chan error, 1)
	go func() {
		done <- p.run(context.Background(), []string{"console", "-config", "../../config.example.yaml",
			"-replay", "testdata/console_replay.txt", "-speed", "60"})
	}()

	type1 := func(s string) {
		if _, err := control.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	mark := scr.waitFor(t, 0, "▫️ Humanitarian")
	type1("2\r")
	mark = scr.waitFor(t, mark, "✅ Drones")
	type1("/follow ceasefire\r")
	mark = scr.waitFor(t, mark, "Nothing I stored")
	// The replay runs on the clock, a minute of the page a second: its entries are 10:00
	// (drones), 10:20 (rain), 10:40 (drones) and 11:00 (ceasefire), the first one second
	// after the start.
	clock.Set(start.Add(1 * time.Second))
	mark = scr.waitFor(t, mark, "Two drones hit a warehouse")
	clock.Set(start.Add(41 * time.Second))
	mark = scr.waitFor(t, mark, "Drone shot down over the harbour")
	clock.Set(start.Add(61 * time.Second))
	mark = scr.waitFor(t, mark, "Ceasefire talks to resume in Geneva")
	mark = scr.waitFor(t, mark, "Daily digest")
	scr.waitFor(t, mark, "the replay is over")
	type1("\x04") // Ctrl-D
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("console: %v\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the console did not end on Ctrl-D")
	}
	terminal.Close()
	shown := strings.ReplaceAll(scr.String(), "\r\n", "\n")
	golden(t, "console_terminal.txt", strings.ReplaceAll(shown, "\x1b", "␛"))
}
