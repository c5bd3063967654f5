package sources

import (
	"bytes"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// htmlGarbage is a deterministic mess of broken markup, bad entities and bytes.
func htmlGarbage() []byte {
	r := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"<div", "</p>", "<p>", "&#99999999;", "&bogus;", "<<", ">>", "<script>", "</table>",
		"<![CDATA[", "-->", "\"", "1418", " GMT ", "—", "\xff", "\n", "<article>", "</html>"}
	var b bytes.Buffer
	b.WriteString("<!DOCTYPE html><html><body>")
	for range 20000 {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.Bytes()
}

// Every kind of bad input gives its source a clear health error and hands nothing over,
// while a good source polled alongside keeps working.
func TestWatcherBadInputs(t *testing.T) {
	garbage := htmlGarbage()
	mux := http.NewServeMux()
	mux.HandleFunc("/garbage", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write(garbage)
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		chunk := bytes.Repeat([]byte("<p>1418 GMT — x</p>\n"), 1<<12) // 88 KiB
		for sent := 0; sent < 50<<20; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return // the fetcher gave up, as it should
			}
		}
	})
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body><article><h1>Live</h1><p>No updates yet.</p></article></body></html>"))
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop2", http.StatusFound)
	})
	mux.HandleFunc("/loop2", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/slowloris", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusOK)
		for {
			if _, err := w.Write([]byte("x")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
	bad := httptest.NewServer(mux)
	defer bad.Close()
	good := newPageServer(t)
	good.set(pageV1)

	tests := []struct{ name, path, wantErr string }{
		{"html garbage", "/garbage", "no entries found"},
		{"50 MB body", "/huge", "body too large: over 10485760 bytes"},
		{"page with no entries", "/empty", `no entries found in 80 bytes read as liveblog`},
		{"redirect loop", "/loop", "stopped after 5 redirects"},
		{"slow-loris server", "/slowloris", "context deadline exceeded"},
	}
	srcs := []Source{{Name: "good", URL: good.URL, PollInterval: 10 * time.Millisecond}}
	for _, tt := range tests {
		srcs = append(srcs, Source{Name: tt.name, URL: bad.URL + tt.path, PollInterval: time.Hour})
	}
	store := newMemStore()
	var h handoffs
	// The bad pages share one host, so they wait for each other's turn; the good page is on
	// another host and must not wait for them.
	fetcher := NewFetcher(FetcherOptions{Timeout: time.Second})
	runWatcher(t, WatcherOptions{Sources: srcs, Fetcher: fetcher, State: store}, h.handle)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			waitFor(t, "a saved failure", func() bool { return len(store.history(tt.name)) > 0 })
			st := store.history(tt.name)[0]
			if st.Failures != 1 || !strings.Contains(st.LastError, tt.wantErr) || !st.LastSuccess.IsZero() {
				t.Errorf("state %+v, want one failure saying %q", st, tt.wantErr)
			}
		})
	}
	waitFor(t, "the good source polled again after the bad ones", func() bool {
		return len(store.history("good")) >= 3
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, entries := range h.calls {
		for _, e := range entries {
			if e.Source != "good" {
				t.Errorf("an entry of %q was handed over", e.Source)
			}
		}
	}
	if st := store.get("good"); st.Failures != 0 || st.LastSuccess.IsZero() {
		t.Errorf("good source state %+v", st)
	}
}
