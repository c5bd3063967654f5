package sources

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// channelServer serves a Telegram channel's web preview at /s/belgorod_news: posts 1 to
// total, 20 a page, the newest without ?before=, older ones with it, as t.me does.
type channelServer struct {
	*httptest.Server
	total int64
	// fail, if set, answers a ?before= request with that status; stuck answers every
	// ?before= request with the newest page (a page that goes no further back).
	fail  int64
	stuck bool

	mu       sync.Mutex
	requests []string // the request URIs, in order
}

func newChannelServer(t *testing.T, total int64) *channelServer {
	c := &channelServer{total: total}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		c.requests = append(c.requests, r.URL.RequestURI())
		c.mu.Unlock()
		if r.URL.Path != "/s/belgorod_news" {
			http.NotFound(w, r)
			return
		}
		end := c.total + 1
		if b := r.URL.Query().Get("before"); b != "" {
			n, err := strconv.ParseInt(b, 10, 64)
			if err != nil || n == c.fail {
				http.Error(w, "no", http.StatusInternalServerError)
				return
			}
			if !c.stuck {
				end = n
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, channelPage("belgorod_news", max(1, end-20), end))
	}))
	t.Cleanup(c.Close)
	return c
}

func (c *channelServer) uris() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.requests...)
}

// channelPage returns a channel page of posts from to end-1, oldest first, with a
// <link rel="prev"> when there are older ones.
func channelPage(name string, from, end int64) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="canonical" href="/s/` + name + `"/>`)
	if from > 1 {
		fmt.Fprintf(&b, `<link rel="prev" href="/s/%s?before=%d">`, name, from)
	}
	b.WriteString(`</head><body><main class="tgme_main"><section class="tgme_channel_history">`)
	for n := from; n < end; n++ {
		at := time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC).Add(time.Duration(n) * time.Minute)
		fmt.Fprintf(&b, `<div class="tgme_widget_message_wrap"><div class="tgme_widget_message" data-post="%s/%d">`+
			`<div class="tgme_widget_message_bubble"><div class="tgme_widget_message_text js-message_text" dir="auto">Новость %d из Белгорода<br/>Подробности.</div>`+
			`<div class="tgme_widget_message_footer"><span class="tgme_widget_message_views">1K</span><span class="tgme_widget_message_meta">`+
			`<a class="tgme_widget_message_date" href="https://t.me/%s/%d"><time datetime="%s" class="time">%s</time></a></span></div></div></div></div>`+"\n",
			name, n, n, name, n, at.Format("2006-01-02T15:04:05+00:00"), at.Format("15:04"))
	}
	b.WriteString(`</section></main></body></html>`)
	return b.String()
}

func TestWatcherCatchesUpOnChannel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		total    int64
		lastPost int64 // the state before the poll
		fail     int64
		stuck    bool
		befores  []string // the ?before= pages fetched, in order
		from     int64    // the oldest post handed over (all up to total are)
		saved    int64    // LastPost after the poll
	}{
		{name: "first poll: no catch-up", total: 100, lastPost: 0, from: 81, saved: 100},
		{name: "no gap", total: 100, lastPost: 80, from: 81, saved: 100},
		{name: "a gap of two pages", total: 100, lastPost: 50, befores: []string{"81", "61"}, from: 41, saved: 100},
		{name: "back to the channel's first post", total: 45, lastPost: 3, befores: []string{"26", "6"}, from: 1, saved: 45},
		{name: "bounded: five pages, then given up", total: 300, lastPost: 10,
			befores: []string{"281", "261", "241", "221", "201"}, from: 181, saved: 300},
		{name: "a failing page: what was read is handed over, LastPost kept", total: 100, lastPost: 30, fail: 61,
			befores: []string{"81", "61"}, from: 61, saved: 30},
		{name: "a page that goes no further back", total: 100, lastPost: 30, stuck: true,
			befores: []string{"81"}, from: 81, saved: 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newChannelServer(t, tt.total)
			srv.fail, srv.stuck = tt.fail, tt.stuck
			store := newMemStore()
			store.state["channel"] = State{LastPost: tt.lastPost}
			w := NewWatcher(WatcherOptions{State: store, Fetcher: NewFetcher(FetcherOptions{Client: srv.Client()})})
			src := Source{Name: "channel", URL: srv.URL + "/s/belgorod_news", Format: FormatTelegram}
			var h handoffs
			if _, err := w.fetchAndHand(context.Background(), src, store.state["channel"], h.handle, slog.New(slog.DiscardHandler)); err != nil {
				t.Fatal(err)
			}
			want := []string{"/s/belgorod_news"}
			for _, b := range tt.befores {
				want = append(want, "/s/belgorod_news?before="+b)
			}
			if got := srv.uris(); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("requests %q, want %q", got, want)
			}
			if h.count() != 1 {
				t.Fatalf("%d hand-overs", h.count())
			}
			got := h.last()
			if int64(len(got)) != tt.total-tt.from+1 {
				t.Fatalf("%d entries handed over, want %d (%s … %s)", len(got), tt.total-tt.from+1, got[0].ID, got[len(got)-1].ID)
			}
			for i, e := range got {
				n := tt.from + int64(i)
				if id := "belgorod_news/" + strconv.FormatInt(n, 10); e.ID != id {
					t.Fatalf("entry %d: id %s, want %s (oldest first)", i, e.ID, id)
				}
				if at := time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC).Add(time.Duration(n) * time.Minute); !e.Published.Equal(at) {
					t.Fatalf("entry %s: published %v", e.ID, e.Published)
				}
			}
			if st := store.state["channel"]; st.LastPost != tt.saved || st.Failures != 0 {
				t.Errorf("state after the poll %+v, want LastPost %d", st, tt.saved)
			}
		})
	}
}
