package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"livealert/bot/fakebotapi"
)

// freeAddress returns a loopback address nothing listens on right now.
func freeAddress(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestHealthcheckAndMetrics runs livealert with $LIVEALERT_HTTP_LISTEN set, as the Docker
// image does: `livealert healthcheck` passes against it and fails against nothing, and
// /metrics serves livealert's metrics.
func TestHealthcheckAndMetrics(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	api := fakebotapi.New(fakebotapi.Options{})
	t.Cleanup(api.Close)
	blog := newLiveBlog(t, groupBlogPage("1100 GMT — Harbour reopens after the storm\nShips sail again."))
	config := exampleConfigFor(t, api.URL(), dir, blog.srv.URL+"/live")
	clock := &e2eClock{now: time.Date(2024, 1, 5, 13, 0, 0, 0, time.UTC)}
	addr := freeAddress(t)
	env := map[string]string{tokenEnv: api.Token(), httpListenEnv: addr}
	startLivealertWith(t, api, config, clock, func(p *program) { p.getenv = func(k string) string { return env[k] } })

	var stdout bytes.Buffer
	check := &program{stdout: &stdout, stderr: io.Discard, getenv: func(k string) string { return env[k] }, now: time.Now}
	if err := check.run(context.Background(), []string{"healthcheck"}); err != nil || stdout.String() != "ok\n" {
		t.Fatalf("healthcheck: %v, printed %q", err, stdout.String())
	}
	blog.waitPolls(t, 1)
	// The poll is counted once it is over, just after the page was served.
	var body string
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(body, `livealert_source_polls_total{result="ok",source="TRT World"}`) {
		if time.Now().After(deadline) {
			t.Fatalf("/metrics lacks the source's polls:\n%s", body)
		}
		resp, err := http.Get("http://" + addr + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		body = string(b)
		time.Sleep(10 * time.Millisecond)
	}

	nowhere := map[string]string{httpListenEnv: freeAddress(t)}
	check = &program{stdout: io.Discard, stderr: io.Discard, getenv: func(k string) string { return nowhere[k] }, now: time.Now}
	if err := check.run(context.Background(), []string{"healthcheck"}); err == nil || exitCode(err) != 1 {
		t.Fatalf("healthcheck against nothing: %v (exit %d), want exit 1", err, exitCode(err))
	}
}
