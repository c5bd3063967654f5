package bot

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"livealert/bot/fakebotapi"
	"livealert/subscriptions"
)

// TestLedBotWaitsAsStandby runs a bot with Options.Lead: until Lead returns it answers
// /healthz, refuses everything else with 503 "standby" and leaves Telegram alone; once it
// leads it connects and becomes ready; when the lead ends, Run returns its cause.
func TestLedBotWaitsAsStandby(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*harnessTimeout)
	defer cancel()
	api := fakebotapi.New(fakebotapi.Options{})
	t.Cleanup(api.Close)
	store, err := subscriptions.Open(ctx, subscriptions.Options{Path: filepath.Join(t.TempDir(), "led.db"), Topics: testTopics})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()

	asked := make(chan struct{})
	leads := make(chan struct{})
	lead, lose := context.WithCancelCause(ctx)
	defer lose(nil)
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Options{
			Token: api.Token(), APIURL: api.URL(), Store: store, HTTP: ln,
			DigestTick: "@every 8760h", PollTimeout: 10 * time.Second,
			Lead: func(ctx context.Context) (context.Context, error) {
				close(asked)
				select {
				case <-leads:
					return lead, nil
				case <-ctx.Done():
					return nil, ctx.Err()
				}
			},
		})
	}()
	<-asked

	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	for _, c := range []struct {
		path string
		code int
		body string
	}{
		{"/healthz", http.StatusOK, "ok\n"},
		{"/readyz", http.StatusServiceUnavailable, "standby\n"},
		{"/metrics", http.StatusServiceUnavailable, "standby\n"},
	} {
		if code, body := get(c.path); code != c.code || body != c.body {
			t.Errorf("standby's %s: %d %q, want %d %q", c.path, code, body, c.code, c.body)
		}
	}
	for _, method := range []string{"getMe", "getUpdates", "deleteWebhook"} {
		if n := api.Calls(method); n != 0 {
			t.Errorf("the standby called %s %d times", method, n)
		}
	}

	close(leads)
	if err := api.WaitCalls(ctx, "getUpdates", 1); err != nil {
		t.Fatalf("the leader never polled: %v", err)
	}
	eventually(t, func() bool { code, _ := get("/readyz"); return code == http.StatusOK })

	lost := errors.New("lease taken")
	lose(lost)
	select {
	case err := <-done:
		if !errors.Is(err, lost) {
			t.Fatalf("Run after the lead ended: %v, want its cause %v", err, lost)
		}
	case <-ctx.Done():
		t.Fatal("Run did not return once the lead ended")
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Fatal("the listener still answers after Run returned")
	}
}
