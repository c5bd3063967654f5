package sources

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestFollowLink(t *testing.T) {
	pattern := regexp.MustCompile(`/live/\d{4}/[a-z]{3}/\d{2}/war-live`)
	tests := []struct {
		name        string
		body        string
		contentType string
		want        string // "" for ErrNoFollowLink
	}{
		{
			name:        "html index: first matching link, resolved, fragment dropped",
			contentType: "text/html",
			body: `<html><body><a href="/about">About</a><a href="/live/2024/jan/06/war-live-updates#top">Today</a>` +
				`<a href="https://news.example.org/live/2024/jan/05/war-live-updates">Yesterday</a></body></html>`,
			want: "https://news.example.org/live/2024/jan/06/war-live-updates",
		},
		{
			name:        "feed: the newest matching item, whatever its place",
			contentType: "application/rss+xml",
			body: `<rss version="2.0"><channel><title>x</title>` +
				`<item><title>old</title><link>https://news.example.org/live/2024/jan/05/war-live</link><pubDate>Fri, 05 Jan 2024 06:00:00 GMT</pubDate></item>` +
				`<item><title>other</title><link>https://news.example.org/sport/1</link><pubDate>Sun, 07 Jan 2024 06:00:00 GMT</pubDate></item>` +
				`<item><title>new</title><link>https://news.example.org/live/2024/jan/06/war-live</link><pubDate>Sat, 06 Jan 2024 06:00:00 GMT</pubDate></item>` +
				`</channel></rss>`,
			want: "https://news.example.org/live/2024/jan/06/war-live",
		},
		{
			name:        "text: the first matching URL",
			contentType: "text/plain",
			body:        "Today: https://news.example.org/live/2024/jan/06/war-live-updates\nYesterday: https://news.example.org/live/2024/jan/05/war-live",
			want:        "https://news.example.org/live/2024/jan/06/war-live-updates",
		},
		{
			name:        "nothing matches",
			contentType: "text/html",
			body:        `<a href="/live/yesterday">x</a><a href="javascript:void(0)">y</a>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FollowLink(Response{Body: []byte(tt.body), ContentType: tt.contentType, URL: "https://news.example.org/live/"}, pattern)
			if tt.want == "" {
				if !errors.Is(err, ErrNoFollowLink) {
					t.Fatalf("got %q, %v; want ErrNoFollowLink", got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// followServer serves an index page linking to one of several daily live-blog pages, each
// with an ETag, and records every request's path and If-None-Match.
type followServer struct {
	*httptest.Server
	mu       sync.Mutex
	today    string            // the path the index links to
	pages    map[string]string // path → body
	requests []string          // "path if-none-match"
}

func newFollowServer(t *testing.T) *followServer {
	f := &followServer{pages: map[string]string{}}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.requests = append(f.requests, r.URL.Path+" "+r.Header.Get("If-None-Match"))
		if r.URL.Path == "/live/" {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(`<a href="/news">News</a> <a href="` + f.today + `">Today's live blog</a>`))
			return
		}
		body, ok := f.pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		etag := `"` + r.URL.Path + `"`
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte(body))
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *followServer) setToday(path, body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.today = path
	f.pages[path] = body
}

func (f *followServer) requested() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.requests...)
}

func TestWatcherFollowsTheDailyPage(t *testing.T) {
	srv := newFollowServer(t)
	srv.setToday("/live/2024/jan/05/war-live", "Friday, January 5, 2024\n1800 GMT — Evening update\nText.\n0900 GMT — Morning update\nText.")
	store := newMemStore()
	var h handoffs
	src := Source{Name: "daily", URL: srv.URL + "/live/", PollInterval: 15 * time.Millisecond,
		Follow: regexp.MustCompile(`/live/\d{4}/[a-z]{3}/\d{2}/war-live$`)}
	runWatcher(t, WatcherOptions{Sources: []Source{src}, State: store}, h.handle)

	waitFor(t, "day 1 handed over", func() bool { return h.count() == 1 })
	waitFor(t, "a conditional request for day 1", func() bool {
		return strings.Contains(strings.Join(srv.requested(), "\n"), `/live/2024/jan/05/war-live "/live/2024/jan/05/war-live"`)
	})
	if got := len(h.last()); got != 2 {
		t.Fatalf("day 1: %d entries", got)
	}
	if st := store.get("daily"); st.Page != srv.URL+"/live/2024/jan/05/war-live" {
		t.Errorf("state page %q", st.Page)
	}

	srv.setToday("/live/2024/jan/06/war-live", "Saturday, January 6, 2024\n0700 GMT — A new day\nText.")
	waitFor(t, "day 2 handed over", func() bool { return h.count() == 2 })
	if e := h.last(); len(e) != 1 || e[0].Title != "A new day" || e[0].Source != "daily" || e[0].URL != srv.URL+"/live/2024/jan/06/war-live" {
		t.Fatalf("day 2: %+v", e)
	}
	// The new page was first asked for without the old page's validators.
	for _, r := range srv.requested() {
		if strings.HasPrefix(r, "/live/2024/jan/06/war-live ") {
			if r != "/live/2024/jan/06/war-live " {
				t.Errorf("first request for day 2 was %q, want it unconditional", r)
			}
			break
		}
	}
	// The index itself is always fetched in full.
	for _, r := range srv.requested() {
		if strings.HasPrefix(r, "/live/ ") && r != "/live/ " {
			t.Errorf("conditional index request %q", r)
		}
	}
}

func TestWatcherFollowWithoutMatchIsAHealthError(t *testing.T) {
	srv := newFollowServer(t)
	srv.setToday("/live/yesterday", "x")
	store := newMemStore()
	var h handoffs
	src := Source{Name: "daily", URL: srv.URL + "/live/", PollInterval: time.Hour, Follow: regexp.MustCompile(`/live/\d{4}/`)}
	if n := NewWatcher(WatcherOptions{State: store}).poll(context.Background(), src, h.handle); n != 1 {
		t.Errorf("failures %d, want 1", n)
	}
	if st := store.get("daily"); !strings.Contains(st.LastError, "no link matches") {
		t.Errorf("state %+v", st)
	}
}

// get returns the state last saved for name, safely while a watcher runs.
func (s *memStore) get(name string) State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state[name]
}
