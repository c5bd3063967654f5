package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// toServer is an http.RoundTripper that sends every request to a test server, whatever its
// host: t.me in a test without the network.
type toServer struct {
	srv   *httptest.Server
	mu    sync.Mutex
	asked []string // the URLs asked for, as asked
}

func (ts *toServer) RoundTrip(req *http.Request) (*http.Response, error) {
	ts.mu.Lock()
	ts.asked = append(ts.asked, req.URL.String())
	ts.mu.Unlock()
	out := req.Clone(req.Context())
	out.URL.Scheme, out.URL.Host = "http", strings.TrimPrefix(ts.srv.URL, "http://")
	resp, err := ts.srv.Client().Transport.RoundTrip(out)
	if resp != nil {
		resp.Request = req
	}
	return resp, err
}

// `source check` takes a channel as @name, t.me/name or its link, and reads its web preview.
func TestSourceCheckTelegramChannel(t *testing.T) {
	page, err := os.ReadFile(filepath.Join("testdata", "check_telegram.html"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/s/vvgladkov" || r.URL.RawQuery != "" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	defer srv.Close()
	for _, channel := range []string{"@vvgladkov", "t.me/vvgladkov", "https://t.me/vvgladkov", "https://t.me/s/vvgladkov"} {
		t.Run(channel, func(t *testing.T) {
			rt := &toServer{srv: srv}
			var stdout, stderr bytes.Buffer
			p := &program{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }, now: time.Now,
				httpClient: &http.Client{Transport: rt}}
			err := p.run(context.Background(), []string{"source", "check", channel})
			out := stdout.String() + stderr.String()
			if err != nil {
				out += "--- livealert: " + err.Error() + "\n"
			}
			golden(t, "source_check_telegram.txt", out)
			if len(rt.asked) != 1 || rt.asked[0] != "https://t.me/s/vvgladkov" {
				t.Errorf("fetched %q, want https://t.me/s/vvgladkov", rt.asked)
			}
		})
	}
	// A name Telegram would refuse is not looked up anywhere.
	rt := &toServer{srv: srv}
	p := &program{stdout: new(bytes.Buffer), stderr: new(bytes.Buffer), getenv: func(string) string { return "" }, now: time.Now,
		httpClient: &http.Client{Transport: rt}}
	if err := p.run(context.Background(), []string{"source", "check", "@abc"}); err == nil || len(rt.asked) != 0 {
		t.Errorf("@abc: %v, fetched %q", err, rt.asked)
	}
}
