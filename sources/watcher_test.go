package sources

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// memStore is an in-memory StateStore: a test double of the interface the watcher needs
// (the real one lives in subscriptions). It keeps every state saved, in order.
type memStore struct {
	mu    sync.Mutex
	state map[string]State
	saved map[string][]State
}

func newMemStore() *memStore {
	return &memStore{state: make(map[string]State), saved: make(map[string][]State)}
}

func (s *memStore) SourceState(ctx context.Context, name string) (State, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state[name], nil
}

func (s *memStore) SaveSourceState(ctx context.Context, name string, st State) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state[name] = st
	s.saved[name] = append(s.saved[name], st)
	return nil
}

func (s *memStore) history(name string) []State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]State(nil), s.saved[name]...)
}

// pageServer serves one page whose body the test changes. Its ETag is the version number
// and it answers a matching If-None-Match with 304. It records the headers of every request.
type pageServer struct {
	*httptest.Server
	mu       sync.Mutex
	version  int
	body     string
	status   int // if not 0, answered instead of the page
	requests []http.Header
}

func newPageServer(t *testing.T) *pageServer {
	p := &pageServer{}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.requests = append(p.requests, r.Header.Clone())
		if p.status != 0 {
			http.Error(w, "failing", p.status)
			return
		}
		etag := `"v` + strconv.Itoa(p.version) + `"`
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", time.Date(2024, 1, 5, 19, 0, p.version, 0, time.UTC).Format(http.TimeFormat))
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte(p.body))
	}))
	t.Cleanup(p.Close)
	return p
}

// set changes the page: a new body under a new version.
func (p *pageServer) set(body string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.version++
	p.body = body
}

func (p *pageServer) setStatus(code int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.status = code
}

func (p *pageServer) requestHeaders() []http.Header {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]http.Header(nil), p.requests...)
}

// waitFor polls cond until it holds, failing the test after a while.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// runWatcher runs a watcher in the background; the returned stop cancels it and waits for
// Run to return, failing the test if it returns an error or takes long.
func runWatcher(t *testing.T, opts WatcherOptions, handle Handler) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- NewWatcher(opts).Run(ctx, handle) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(5 * time.Second):
				t.Error("Run did not return after cancellation")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// handoffs records what the handler was given.
type handoffs struct {
	mu    sync.Mutex
	calls [][]Entry
	fail  error // returned by the next call, then cleared
}

func (h *handoffs) handle(ctx context.Context, src Source, entries []Entry) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls = append(h.calls, entries)
	err := h.fail
	h.fail = nil
	return err
}

func (h *handoffs) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.calls)
}

func (h *handoffs) last() []Entry {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.calls[len(h.calls)-1]
}

// byID indexes entries by id, with their hashes.
func byID(entries []Entry) map[string]string {
	m := make(map[string]string, len(entries))
	for _, e := range entries {
		m[e.ID] = e.Hash
	}
	return m
}

// The pages of a live blog through four polls.
var (
	pageV1 = strings.Join([]string{
		"Friday, January 5, 2024",
		"1409 GMT — Belgium-style storm barrier closed", "The barrier was closed at noon.",
		"More updates 👇",
		"1500 GMT — Trains cancelled", "All evening trains are cancelled.",
		"1300 GMT — Schools close early", "Schools closed at one o'clock.",
		"1100 GMT — Warning issued", "A warning was issued this morning.",
	}, "\n")
	// v2: one new entry, one edited body, one removed.
	pageV2 = strings.Join([]string{
		"Friday, January 5, 2024",
		"1409 GMT — Belgium-style storm barrier closed", "The barrier was closed at noon.",
		"More updates 👇",
		"1600 GMT — Bridge shut", "The bridge is shut to all traffic.",
		"1500 GMT — Trains cancelled", "All evening and night trains are cancelled.",
		"1300 GMT — Schools close early", "Schools closed at one o'clock.",
	}, "\n")
	// v3: the same entries, the pinned lead moved into its place in the timeline.
	pageV3 = strings.Join([]string{
		"Friday, January 5, 2024",
		"1600 GMT — Bridge shut", "The bridge is shut to all traffic.",
		"1500 GMT — Trains cancelled", "All evening and night trains are cancelled.",
		"1409 GMT — Belgium-style storm barrier closed", "The barrier was closed at noon.",
		"1300 GMT — Schools close early", "Schools closed at one o'clock.",
	}, "\n")
)

func TestWatcherPagesChange(t *testing.T) {
	srv := newPageServer(t)
	srv.set(pageV1)
	store := newMemStore()
	var h handoffs
	src := Source{Name: "storm", URL: srv.URL + "/live", PollInterval: 20 * time.Millisecond}
	stop := runWatcher(t, WatcherOptions{Sources: []Source{src}, State: store}, h.handle)

	waitFor(t, "the first hand-over", func() bool { return h.count() == 1 })
	v1 := byID(h.last())
	if len(v1) != 4 {
		t.Fatalf("v1: %d entries", len(v1))
	}
	// Unchanged: conditional requests answered 304, and nothing handed over.
	waitFor(t, "two conditional requests", func() bool {
		n := 0
		for _, hdr := range srv.requestHeaders() {
			if hdr.Get("If-None-Match") == `"v1"` && hdr.Get("If-Modified-Since") == "Fri, 05 Jan 2024 19:00:01 GMT" {
				n++
			}
		}
		return n >= 2
	})
	if n := h.count(); n != 1 {
		t.Fatalf("a 304 was handed over: %d calls", n)
	}
	if first := srv.requestHeaders()[0]; first.Get("If-None-Match") != "" || first.Get("If-Modified-Since") != "" {
		t.Errorf("the first request was conditional")
	}

	srv.set(pageV2)
	waitFor(t, "the second hand-over", func() bool { return h.count() == 2 })
	v2 := byID(h.last())
	var added, removed, edited, same int
	for id, hash := range v2 {
		old, ok := v1[id]
		switch {
		case !ok:
			added++
		case old != hash:
			edited++
		default:
			same++
		}
	}
	for id := range v1 {
		if _, ok := v2[id]; !ok {
			removed++
		}
	}
	if added != 1 || removed != 1 || edited != 1 || same != 2 {
		t.Errorf("v1→v2: added %d, removed %d, edited %d, same %d; want 1, 1, 1, 2", added, removed, edited, same)
	}

	srv.set(pageV3)
	waitFor(t, "the third hand-over", func() bool { return h.count() == 3 })
	v3 := h.last()
	if !maps.Equal(byID(v3), v2) {
		t.Errorf("reordering changed ids or hashes:\n%v\n%v", byID(v3), v2)
	}
	if v3[2].Pinned || v3[2].Title != "Belgium-style storm barrier closed" {
		t.Errorf("v3 entry 2: %+v", v3[2])
	}
	stop()

	st := store.state["storm"]
	if st.ETag != `"v3"` || st.LastModified != "Fri, 05 Jan 2024 19:00:03 GMT" || st.Failures != 0 ||
		st.LastError != "" || st.LastSuccess.IsZero() {
		t.Errorf("final state %+v", st)
	}
}

func TestWatcherHandlerErrorKeepsValidators(t *testing.T) {
	srv := newPageServer(t)
	srv.set(pageV1)
	store := newMemStore()
	h := handoffs{fail: errors.New("database is locked")}
	src := Source{Name: "storm", URL: srv.URL, PollInterval: 20 * time.Millisecond}
	runWatcher(t, WatcherOptions{Sources: []Source{src}, State: store}, h.handle)

	waitFor(t, "a conditional request", func() bool {
		for _, hdr := range srv.requestHeaders() {
			if hdr.Get("If-None-Match") != "" {
				return true
			}
		}
		return false
	})
	reqs := srv.requestHeaders()
	if reqs[1].Get("If-None-Match") != "" || reqs[1].Get("If-Modified-Since") != "" {
		t.Errorf("after a failed hand-over the next request was conditional")
	}
	if h.count() < 2 {
		t.Errorf("the body was not handed over again: %d calls", h.count())
	}
	hist := store.history("storm")
	if hist[0].Failures != 1 || !strings.Contains(hist[0].LastError, "database is locked") || hist[0].ETag != "" {
		t.Errorf("state after the failed hand-over: %+v", hist[0])
	}
	if hist[1].Failures != 0 || hist[1].LastError != "" || hist[1].ETag != `"v1"` {
		t.Errorf("state after the successful hand-over: %+v", hist[1])
	}
}

func TestWatcherFailuresCountAndReset(t *testing.T) {
	srv := newPageServer(t)
	srv.set(pageV1)
	srv.setStatus(http.StatusServiceUnavailable)
	store := newMemStore()
	var h handoffs
	src := Source{Name: "storm", URL: srv.URL, PollInterval: 10 * time.Millisecond}
	runWatcher(t, WatcherOptions{Sources: []Source{src}, State: store}, h.handle)

	waitFor(t, "three failures", func() bool { return len(store.history("storm")) >= 3 })
	srv.setStatus(0)
	waitFor(t, "a success", func() bool { return h.count() >= 1 })
	waitFor(t, "the success saved", func() bool {
		hist := store.history("storm")
		return hist[len(hist)-1].Failures == 0
	})
	hist := store.history("storm")
	for i, st := range hist[:3] {
		if st.Failures != i+1 || !strings.Contains(st.LastError, "503") || st.ETag != "" {
			t.Errorf("state %d: %+v", i, st)
		}
	}
	last := hist[len(hist)-1]
	if last.LastError != "" || last.ETag != `"v1"` || last.LastSuccess.IsZero() {
		t.Errorf("state after the success: %+v", last)
	}
}

func TestWatcherFetchErrorsRecorded(t *testing.T) {
	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte("x"), 2048))
	}))
	defer big.Close()
	loop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Path, http.StatusFound)
	}))
	defer loop.Close()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()

	tests := []struct {
		name, url, wantErr string
	}{
		{"too large", big.URL, "body too large"},
		{"redirect loop", loop.URL, "stopped after 5 redirects"},
		{"slow server", slow.URL, "context deadline exceeded"},
	}
	sources := make([]Source, len(tests))
	for i, tt := range tests {
		sources[i] = Source{Name: tt.name, URL: tt.url, PollInterval: time.Hour}
	}
	store := newMemStore()
	var h handoffs
	fetcher := NewFetcher(FetcherOptions{MaxBytes: 1024, Timeout: time.Second})
	runWatcher(t, WatcherOptions{Sources: sources, Fetcher: fetcher, State: store}, h.handle)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			waitFor(t, "a saved failure", func() bool { return len(store.history(tt.name)) > 0 })
			st := store.history(tt.name)[0]
			if st.Failures != 1 || !strings.Contains(st.LastError, tt.wantErr) {
				t.Errorf("state %+v, want an error saying %q", st, tt.wantErr)
			}
		})
	}
	if h.count() != 0 {
		t.Errorf("%d hand-overs from failing sources", h.count())
	}
}

func TestWatcherOneFailingSourceDoesNotStopAnother(t *testing.T) {
	good := newPageServer(t)
	good.set(pageV1)
	bad := newPageServer(t)
	bad.setStatus(http.StatusInternalServerError)
	store := newMemStore()
	var h handoffs
	// The good page changes all the time, so that every poll hands entries over.
	stopChanging := make(chan struct{})
	var changer sync.WaitGroup
	changer.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stopChanging:
				return
			case <-time.After(10 * time.Millisecond):
				good.set(pageV1 + "\nupdate " + strconv.Itoa(i))
			}
		}
	})
	defer func() { close(stopChanging); changer.Wait() }()

	runWatcher(t, WatcherOptions{
		Sources: []Source{
			{Name: "bad", URL: bad.URL, PollInterval: 10 * time.Millisecond},
			{Name: "good", URL: good.URL, PollInterval: 10 * time.Millisecond},
		},
		State: store,
	}, h.handle)
	waitFor(t, "three hand-overs from the good source", func() bool { return h.count() >= 3 })
	waitFor(t, "two failures of the bad source", func() bool { return len(store.history("bad")) >= 2 })
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, entries := range h.calls {
		if len(entries) == 0 || entries[0].Source != "good" {
			t.Errorf("hand-over %v", entries)
		}
	}
}

func TestWatcherEmptyPageIsAHealthError(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		wantError string // "" for a success
	}{
		{"live blog without entries", "Nothing to see here.\nReally nothing.", `sources: "page": no entries found in 36 bytes read as liveblog`},
		{"feed without items", `<rss version="2.0"><channel><title>empty</title></channel></rss>`, ""},
		{"live blog with entries", "January 5, 2024\n1200 GMT — Something", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newPageServer(t)
			srv.set(tt.body)
			var logs syncBuffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			store := newMemStore()
			var h handoffs
			stop := runWatcher(t, WatcherOptions{
				Sources: []Source{{Name: "page", URL: srv.URL, PollInterval: 20 * time.Millisecond}},
				State:   store, Logger: logger,
			}, h.handle)
			waitFor(t, "two saved polls", func() bool { return len(store.history("page")) >= 2 })
			stop()
			hist := store.history("page")
			if tt.wantError == "" {
				if h.count() == 0 || hist[0].Failures != 0 || hist[0].LastError != "" {
					t.Errorf("%d hand-overs, state %+v; want a success", h.count(), hist[0])
				}
				return
			}
			if h.count() != 0 {
				t.Errorf("an empty page was handed over %d times", h.count())
			}
			if hist[0].Failures != 1 || hist[1].Failures != 2 || !strings.HasPrefix(hist[0].LastError, tt.wantError) || hist[0].ETag != "" {
				t.Errorf("states %+v, want failures 1, 2 and an error saying %q", hist[:2], tt.wantError)
			}
			if !strings.Contains(logs.String(), `level=WARN msg="source page has no entries" source=page`) {
				t.Errorf("no warning logged:\n%s", logs.String())
			}
		})
	}
}

// An empty page is a health error but no reason to back off; a failed fetch is.
func TestWatcherEmptyPageDoesNotBackOff(t *testing.T) {
	empty := newPageServer(t)
	empty.set("Nothing here.")
	broken := newPageServer(t)
	broken.setStatus(http.StatusBadGateway)
	store := newMemStore()
	w := NewWatcher(WatcherOptions{State: store})
	var h handoffs
	ctx := context.Background()
	for i := 1; i <= 2; i++ {
		if n := w.poll(ctx, Source{Name: "empty", URL: empty.URL}, h.handle); n != 0 {
			t.Errorf("empty page, poll %d: %d failures count for the backoff, want 0", i, n)
		}
		if n := w.poll(ctx, Source{Name: "broken", URL: broken.URL}, h.handle); n != i {
			t.Errorf("broken page, poll %d: %d failures count for the backoff, want %d", i, n, i)
		}
	}
	if st := store.state["empty"]; st.Failures != 2 || !strings.Contains(st.LastError, "no entries found") {
		t.Errorf("empty page state %+v", st)
	}
}

// syncBuffer is a bytes.Buffer safe for the watcher's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestWatcherRunErrors(t *testing.T) {
	store := newMemStore()
	tests := []struct {
		name string
		opts WatcherOptions
	}{
		{"no state store", WatcherOptions{Sources: []Source{{Name: "a", URL: "x"}}}},
		{"unnamed source", WatcherOptions{Sources: []Source{{URL: "x"}}, State: store}},
		{"duplicate names", WatcherOptions{Sources: []Source{{Name: "a", URL: "x"}, {Name: "a", URL: "y"}}, State: store}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := NewWatcher(tt.opts).Run(context.Background(), func(context.Context, Source, []Entry) error { return nil })
			if err == nil || !strings.HasPrefix(err.Error(), "sources: watcher: ") {
				t.Errorf("error %v", err)
			}
		})
	}
}

func TestWatcherUsesClock(t *testing.T) {
	srv := newPageServer(t)
	srv.set(pageV1)
	store := newMemStore()
	var h handoffs
	clock := time.Date(2030, 6, 1, 12, 0, 0, 0, time.FixedZone("X", 3600))
	runWatcher(t, WatcherOptions{
		Sources: []Source{{Name: "page", URL: srv.URL, PollInterval: time.Hour}},
		State:   store, Now: func() time.Time { return clock },
	}, h.handle)
	waitFor(t, "a saved success", func() bool { return len(store.history("page")) == 1 })
	if got := store.history("page")[0].LastSuccess; !got.Equal(clock) || got.Location() != time.UTC {
		t.Errorf("LastSuccess %v, want %v in UTC", got, clock)
	}
}

func TestNextPoll(t *testing.T) {
	tests := []struct {
		name     string
		interval time.Duration
		failures int
		center   time.Duration // the wait before jitter
		jitter   bool
	}{
		{"success", time.Minute, 0, time.Minute, false},
		{"one failure", time.Minute, 1, 2 * time.Minute, true},
		{"three failures", time.Minute, 3, 8 * time.Minute, true},
		{"capped at 30m", time.Minute, 10, 30 * time.Minute, true},
		{"huge failure count", time.Minute, 1 << 30, 30 * time.Minute, true},
		{"interval above the cap", time.Hour, 2, time.Hour, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi := tt.center, tt.center
			if tt.jitter {
				lo, hi = tt.center*8/10, tt.center*12/10
			}
			distinct := make(map[time.Duration]bool)
			for range 200 {
				got := nextPoll(tt.interval, tt.failures)
				if got < lo || got > hi {
					t.Fatalf("wait %v outside [%v, %v]", got, lo, hi)
				}
				distinct[got] = true
			}
			if tt.jitter && len(distinct) < 10 {
				t.Errorf("only %d distinct waits: no jitter", len(distinct))
			}
		})
	}
}
