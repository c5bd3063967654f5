package sources

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestFetchConditionalGET(t *testing.T) {
	const (
		etag = `"v1"`
		lm   = "Fri, 05 Jan 2024 18:45:00 GMT"
	)
	var mu sync.Mutex
	var seen []http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lm)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("body v1"))
	}))
	defer srv.Close()

	f := NewFetcher(FetcherOptions{})
	ctx := context.Background()
	first, err := f.Fetch(ctx, srv.URL+"/live", State{})
	if err != nil {
		t.Fatal(err)
	}
	if first.NotModified || string(first.Body) != "body v1" || first.ETag != etag || first.LastModified != lm ||
		first.ContentType != "text/plain; charset=utf-8" || first.URL != srv.URL+"/live" {
		t.Fatalf("first fetch: %+v", first)
	}
	if want := time.Date(2024, 1, 5, 18, 45, 0, 0, time.UTC); !first.Date.Equal(want) {
		t.Errorf("date %v, want the Last-Modified time %v", first.Date, want)
	}
	second, err := f.Fetch(ctx, srv.URL+"/live", State{ETag: first.ETag, LastModified: first.LastModified})
	if err != nil {
		t.Fatal(err)
	}
	if !second.NotModified || second.Body != nil || second.ETag != etag || second.LastModified != lm {
		t.Fatalf("second fetch: %+v", second)
	}

	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 2 {
		t.Fatalf("server saw %d requests", len(seen))
	}
	if seen[0].Get("If-None-Match") != "" || seen[0].Get("If-Modified-Since") != "" {
		t.Errorf("first request was conditional: %v", seen[0])
	}
	if seen[1].Get("If-None-Match") != etag || seen[1].Get("If-Modified-Since") != lm {
		t.Errorf("second request: If-None-Match %q, If-Modified-Since %q",
			seen[1].Get("If-None-Match"), seen[1].Get("If-Modified-Since"))
	}
	for i, h := range seen {
		if h.Get("User-Agent") != DefaultUserAgent {
			t.Errorf("request %d: User-Agent %q", i, h.Get("User-Agent"))
		}
	}
}

func TestFetchGzipAndUserAgent(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			http.Error(w, "gzip expected", http.StatusBadRequest)
			return
		}
		if r.Header.Get("User-Agent") != "test-agent/1" {
			http.Error(w, "bad agent", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Date", "Sat, 06 Jan 2024 10:00:00 GMT")
		gz := gzip.NewWriter(w)
		gz.Write([]byte(strings.Repeat("compressed ", 100)))
		gz.Close()
	}))
	defer srv.Close()
	resp, err := NewFetcher(FetcherOptions{UserAgent: "test-agent/1"}).Fetch(context.Background(), srv.URL, State{})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != strings.Repeat("compressed ", 100) {
		t.Errorf("body %q", resp.Body)
	}
	if want := time.Date(2024, 1, 6, 10, 0, 0, 0, time.UTC); !resp.Date.Equal(want) {
		t.Errorf("date %v, want the Date header %v", resp.Date, want)
	}
}

func TestFetchErrors(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/missing", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "oops", http.StatusInternalServerError)
	})
	mux.HandleFunc("/big-declared", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "101")
		w.Write(bytes.Repeat([]byte("x"), 101))
	})
	mux.HandleFunc("/big-chunked", func(w http.ResponseWriter, r *http.Request) {
		for range 101 {
			w.Write([]byte("x"))
			w.(http.Flusher).Flush() // no Content-Length: the reader must count
		}
	})
	mux.HandleFunc("/exactly-max", func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte("x"), 100))
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/hop/", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hop/"))
		if n == 0 {
			w.Write([]byte("arrived"))
			return
		}
		http.Redirect(w, r, "/hop/"+strconv.Itoa(n-1), http.StatusMovedPermanently)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	f := NewFetcher(FetcherOptions{MaxBytes: 100})
	impatient := NewFetcher(FetcherOptions{MaxBytes: 100, Timeout: 200 * time.Millisecond})
	tests := []struct {
		name       string
		path       string
		wantStatus int    // a *StatusError with this code
		wantIs     error  // errors.Is target
		wantText   string // in the message
		wantBody   string // for no error
		impatient  bool   // fetch with a 200ms timeout
	}{
		{name: "404", path: "/missing", wantStatus: 404, wantText: "404 Not Found"},
		{name: "500", path: "/broken", wantStatus: 500, wantText: "500 Internal Server Error"},
		{name: "too large, declared", path: "/big-declared", wantIs: ErrBodyTooLarge},
		{name: "too large, chunked", path: "/big-chunked", wantIs: ErrBodyTooLarge},
		{name: "exactly the limit", path: "/exactly-max", wantBody: strings.Repeat("x", 100)},
		{name: "redirect loop", path: "/loop", wantText: "stopped after 5 redirects"},
		{name: "five redirects are followed", path: "/hop/5", wantBody: "arrived"},
		{name: "six are not", path: "/hop/6", wantText: "stopped after 5 redirects"},
		{name: "slow server", path: "/slow", wantIs: context.DeadlineExceeded, impatient: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := srv.URL + tt.path
			fetcher := f
			if tt.impatient {
				fetcher = impatient
			}
			resp, err := fetcher.Fetch(context.Background(), u, State{})
			if tt.wantBody != "" {
				if err != nil {
					t.Fatal(err)
				}
				if string(resp.Body) != tt.wantBody {
					t.Errorf("body %q", resp.Body)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error; body %d bytes", len(resp.Body))
			}
			if !strings.HasPrefix(err.Error(), "sources: fetch "+u+": ") {
				t.Errorf("error %q lacks its origin", err)
			}
			var se *StatusError
			if tt.wantStatus != 0 && (!errors.As(err, &se) || se.Code != tt.wantStatus) {
				t.Errorf("error %v is not a StatusError %d", err, tt.wantStatus)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %v is not %v", err, tt.wantIs)
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("error %q does not say %q", err, tt.wantText)
			}
		})
	}
	t.Run("final URL after redirects", func(t *testing.T) {
		resp, err := f.Fetch(context.Background(), srv.URL+"/hop/2", State{})
		if err != nil {
			t.Fatal(err)
		}
		if resp.URL != srv.URL+"/hop/0" {
			t.Errorf("URL %q", resp.URL)
		}
	})
	t.Run("cancelled context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := f.Fetch(ctx, srv.URL+"/exactly-max", State{}); !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
	})
}

func TestFetchOneRequestPerHost(t *testing.T) {
	var inFlight, maxInFlight atomic.Int32
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for {
			m := maxInFlight.Load()
			if n <= m || maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(50 * time.Millisecond)
		inFlight.Add(-1)
		w.Write([]byte("ok"))
	})
	a := httptest.NewServer(handler)
	defer a.Close()
	b := httptest.NewServer(handler)
	defer b.Close()

	f := NewFetcher(FetcherOptions{})
	fetchAll := func(urls ...string) {
		var wg sync.WaitGroup
		for _, u := range urls {
			wg.Go(func() {
				if _, err := f.Fetch(context.Background(), u, State{}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	fetchAll(a.URL+"/1", a.URL+"/2", a.URL+"/3", a.URL+"/4")
	if got := maxInFlight.Load(); got != 1 {
		t.Errorf("one host: %d requests at once, want 1", got)
	}
	// Two hosts (two ports) are not held back by each other.
	maxInFlight.Store(0)
	for range 5 {
		fetchAll(a.URL, b.URL)
		if maxInFlight.Load() == 2 {
			break
		}
	}
	if got := maxInFlight.Load(); got != 2 {
		t.Errorf("two hosts: at most %d requests at once, want 2", got)
	}
}

func TestFetchFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "live blog.txt")
	if err := os.WriteFile(path, []byte("version 1"), 0o644); err != nil {
		t.Fatal(err)
	}
	mtime := time.Date(2024, 1, 5, 12, 0, 0, 0, time.UTC)
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.txt")
	if err := os.WriteFile(big, bytes.Repeat([]byte("x"), 101), 0o644); err != nil {
		t.Fatal(err)
	}
	fileURL := (&url.URL{Scheme: "file", Path: path}).String()
	f := NewFetcher(FetcherOptions{MaxBytes: 100})
	ctx := context.Background()

	for _, name := range []string{path, fileURL} {
		t.Run(name, func(t *testing.T) {
			resp, err := f.Fetch(ctx, name, State{})
			if err != nil {
				t.Fatal(err)
			}
			if string(resp.Body) != "version 1" || resp.NotModified || resp.URL != name {
				t.Fatalf("first: %+v", resp)
			}
			if resp.LastModified != "Fri, 05 Jan 2024 12:00:00 GMT" || !resp.Date.Equal(mtime) {
				t.Errorf("LastModified %q, Date %v", resp.LastModified, resp.Date)
			}
			again, err := f.Fetch(ctx, name, State{LastModified: resp.LastModified})
			if err != nil {
				t.Fatal(err)
			}
			if !again.NotModified || again.Body != nil {
				t.Errorf("unchanged file by Last-Modified: %+v", again)
			}
			again, err = f.Fetch(ctx, name, State{ETag: resp.ETag, LastModified: resp.LastModified})
			if err != nil {
				t.Fatal(err)
			}
			if !again.NotModified {
				t.Errorf("unchanged file by ETag: %+v", again)
			}
			stale, err := f.Fetch(ctx, name, State{LastModified: "Thu, 04 Jan 2024 12:00:00 GMT"})
			if err != nil {
				t.Fatal(err)
			}
			if stale.NotModified || string(stale.Body) != "version 1" {
				t.Errorf("changed file: %+v", stale)
			}
		})
	}

	t.Run("rewritten within the same second", func(t *testing.T) {
		first, err := f.Fetch(ctx, path, State{})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("version 22"), 0o644); err != nil {
			t.Fatal(err)
		}
		later := mtime.Add(300 * time.Millisecond)
		if err := os.Chtimes(path, later, later); err != nil {
			t.Fatal(err)
		}
		got, err := f.Fetch(ctx, path, State{ETag: first.ETag, LastModified: first.LastModified})
		if err != nil {
			t.Fatal(err)
		}
		if got.NotModified || string(got.Body) != "version 22" {
			t.Errorf("got %+v", got)
		}
	})

	errs := []struct {
		name   string
		target string
		wantIs error
	}{
		{name: "missing file", target: filepath.Join(dir, "nope.txt"), wantIs: fs.ErrNotExist},
		{name: "too large", target: big, wantIs: ErrBodyTooLarge},
		{name: "directory", target: dir},
		{name: "unsupported scheme", target: "ftp://example.org/feed.xml"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.Fetch(ctx, tt.target, State{})
			if err == nil {
				t.Fatal("no error")
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %v is not %v", err, tt.wantIs)
			}
			if !strings.HasPrefix(err.Error(), "sources: fetch "+tt.target+": ") {
				t.Errorf("error %q lacks its origin", err)
			}
		})
	}
}
