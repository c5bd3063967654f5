package sources

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// TestWatcherAddRemoveAtRuntime: sources added before and while Run runs are polled; a removed
// source's handler is never called after Remove returns, while the others go on.
func TestWatcherAddRemoveAtRuntime(t *testing.T) {
	t.Parallel()
	// No validators: every poll hands the page over again.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte(pageV1))
	}))
	t.Cleanup(srv.Close)
	src := func(name string) Source {
		return Source{Name: name, URL: srv.URL + "/" + name, PollInterval: 10 * time.Millisecond}
	}
	var mu sync.Mutex
	polls := map[string]int{}
	handed := make(chan string, 100)
	handle := func(ctx context.Context, s Source, entries []Entry) error {
		mu.Lock()
		polls[s.Name]++
		mu.Unlock()
		select {
		case handed <- s.Name:
		default:
		}
		return nil
	}
	count := func(name string) int {
		mu.Lock()
		defer mu.Unlock()
		return polls[name]
	}
	// waitPolls waits until name has been handed over n more times.
	waitPolls := func(name string, n int) {
		t.Helper()
		timeout := time.After(10 * time.Second)
		for n > 0 {
			select {
			case got := <-handed:
				if got == name {
					n--
				}
			case <-timeout:
				t.Fatalf("timed out waiting for %s to be polled", name)
			}
		}
	}

	w := NewWatcher(WatcherOptions{Sources: []Source{src("configured")}, State: newMemStore()})
	if err := w.Add(src("early")); err != nil {
		t.Fatalf("Add before Run: %v", err)
	}
	if err := w.Add(src("configured")); err == nil {
		t.Fatal("Add of a configured name before Run succeeded")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, handle) }()
	waitPolls("configured", 1)
	waitPolls("early", 1)

	if err := w.Add(src("late")); err != nil {
		t.Fatalf("Add while running: %v", err)
	}
	waitPolls("late", 1)
	for _, name := range []string{"late", "configured", "early"} {
		if err := w.Add(src(name)); err == nil {
			t.Errorf("Add(%q) twice succeeded", name)
		}
	}
	if err := w.Add(Source{URL: srv.URL}); err == nil {
		t.Error("Add of a source without a name succeeded")
	}

	if !w.Remove("early") {
		t.Fatal("Remove(early) = false")
	}
	after := count("early")
	waitPolls("late", 3)
	waitPolls("configured", 3)
	if got := count("early"); got != after {
		t.Errorf("early was handed over %d times after Remove returned", got-after)
	}
	if w.Remove("early") || w.Remove("unknown") {
		t.Error("Remove of a source not watched reported true")
	}
	// A removed name may be added again.
	if err := w.Add(src("early")); err != nil {
		t.Fatalf("Add after Remove: %v", err)
	}
	waitPolls("early", 1)

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return")
	}
	if err := w.Add(src("too-late")); err == nil {
		t.Error("Add after Run returned succeeded")
	}
}
