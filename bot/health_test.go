package bot

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestHealthAndMetrics serves the bot's HTTP listener: /healthz answers, /readyz is ready
// while Telegram answers and unready once it has not for telegramStale, and /metrics counts
// an alert when it goes out.
func TestHealthAndMetrics(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	h := newHarness(t, harnessOptions{Bot: func(o *Options) { o.HTTP = ln }})
	h.start()
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
	if code, body := get("/healthz"); code != http.StatusOK || body != "ok\n" {
		t.Fatalf("/healthz: %d %q", code, body)
	}
	if code, body := get("/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz while Telegram answers: %d %q", code, body)
	}

	followStorms(h, aliceChat)
	h.ingest(newEntry("0", "Old news"))
	h.ingest(newEntry("1", stormEntry(1)))
	h.waitTexts(alice.ID, stormEntry(1))
	want := []string{
		`livealert_messages_sent_total{kind="alert"} 1`,
		`livealert_alert_delay_seconds_count{since="seen"} 1`,
		`livealert_alert_delay_seconds_count{since="published"} 1`,
		`livealert_source_entries_total{source="Harbour Wire"} 2`,
		`livealert_outbox_messages{state="due"}`,
		`livealert_send_duration_seconds_count 1`,
		`livealert_sends_in_flight_limit 4`,
		`livealert_matcher_size{of="subscriptions"} 1`,
	}
	// The send is counted once Telegram's answer is back, just after the fake recorded it:
	// poll until every line is there, then report the ones still missing.
	var metrics string
	missing := want
	for deadline := time.Now().Add(harnessTimeout); len(missing) > 0 && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		_, metrics = get("/metrics")
		missing = nil
		for _, w := range want {
			if !strings.Contains(metrics, w) {
				missing = append(missing, w)
			}
		}
	}
	for _, w := range missing {
		t.Errorf("/metrics lacks %s:\n%s", w, metrics)
	}

	h.api.Close() // Telegram is down from here on
	var code int
	var body string
	eventually(t, func() bool { // a poll answered as the fake closed may still come in
		h.clock.Advance(telegramStale + time.Second)
		code, body = get("/readyz")
		return code == http.StatusServiceUnavailable
	})
	if !strings.Contains(body, "telegram") {
		t.Fatalf("/readyz with Telegram down: %d %q", code, body)
	}
}

// eventually polls cond until it holds, failing the test after harnessTimeout.
func eventually(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(harnessTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in time")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
