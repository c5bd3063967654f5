package bot

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"livealert/bot/deliver"
	"livealert/subscriptions"
)

const testWebhookSecret = "test_webhook-Secret1"

// webhookHarness is a harness whose bot serves a webhook at /tg/hook on a loopback listener
// while *webhook is true (a fresh listener at each start), and long-polls otherwise. It
// returns the webhook's URL.
func webhookHarness(t *testing.T, webhook *bool) (*harness, *string) {
	t.Helper()
	var hookURL string
	h := newHarness(t, harnessOptions{Bot: func(o *Options) {
		if !*webhook {
			return
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		hookURL = "http://" + ln.Addr().String() + "/tg/hook"
		o.HTTP, o.WebhookURL, o.WebhookSecret = ln, hookURL, testWebhookSecret
	}})
	return h, &hookURL
}

// postHook POSTs body to the webhook with secret ("" for no header) and returns the status.
func postHook(t *testing.T, url, method, secret string, body []byte) int {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if secret != "" {
		req.Header.Set(webhookSecretHeader, secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestWebhookAnswersAnUpdate: with a webhook URL the bot sets the webhook (its URL, the
// secret, the allowed updates, one connection) and answers a /start Telegram delivers to it;
// the delivery is answered 200 and so confirmed.
func TestWebhookAnswersAnUpdate(t *testing.T) {
	t.Parallel()
	webhook := true
	h, hookURL := webhookHarness(t, &webhook)
	h.start()
	info, ok := h.api.Webhook()
	if !ok || info.URL != *hookURL || info.SecretToken != testWebhookSecret || info.MaxConnections != 1 ||
		!slices.Equal(info.AllowedUpdates, allowedUpdates) {
		t.Fatalf("webhook set: %+v, %v", info, ok)
	}
	msg := h.reply(aliceChat, alice, "/start")
	if msg.Text == "" {
		t.Fatal("empty reply to /start")
	}
	if err := h.api.WaitFor(h.waitCtx(), func() bool { return h.api.PendingUpdates() == 0 }); err != nil {
		t.Fatalf("delivery not confirmed: %v", err)
	}
	if n := h.api.WebhookDeliveries(http.StatusOK); n != 1 {
		t.Fatalf("%d deliveries answered 200, want 1", n)
	}
	if n := h.api.Calls("getUpdates"); n != 0 {
		t.Fatalf("%d getUpdates calls in webhook mode", n)
	}
}

// TestWebhookRefusesAWrongSecret: a delivery without the exact secret is answered 401 and
// handles nothing; the same update with the secret is handled, and handled once however
// often it is delivered again. Other malformed deliveries are refused too.
func TestWebhookRefusesAWrongSecret(t *testing.T) {
	t.Parallel()
	webhook := true
	h, hookURL := webhookHarness(t, &webhook)
	h.start()
	first := h.api.SendMessage(aliceChat, alice, "/start")
	h.waitHandled(first)
	h.waitMessages(alice.ID, 1)

	// A second /start from alice, as Telegram would deliver it, that the fake never queued.
	u, ok := h.api.Update(first)
	if !ok {
		t.Fatal("no update", first)
	}
	u.ID = first + 1000
	body, err := json.Marshal(&u)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"", "wrong", testWebhookSecret + "x", testWebhookSecret[:len(testWebhookSecret)-1], strings.ToUpper(testWebhookSecret)} {
		if code := postHook(t, *hookURL, http.MethodPost, secret, body); code != http.StatusUnauthorized {
			t.Fatalf("secret %q: %d, want 401", secret, code)
		}
	}
	if code := postHook(t, *hookURL, http.MethodGet, testWebhookSecret, nil); code != http.StatusMethodNotAllowed {
		t.Fatalf("GET: %d, want 405", code)
	}
	if code := postHook(t, *hookURL, http.MethodPost, testWebhookSecret, []byte(`{"update_id":`)); code != http.StatusBadRequest {
		t.Fatalf("broken JSON: %d, want 400", code)
	}
	big := append([]byte(`{"update_id":1,"x":"`), bytes.Repeat([]byte("a"), maxWebhookBody)...)
	if code := postHook(t, *hookURL, http.MethodPost, testWebhookSecret, append(big, `"}`...)); code != http.StatusRequestEntityTooLarge {
		t.Fatalf("2 MiB body: %d, want 413", code)
	}
	for reason, want := range map[string]float64{"secret": 5, "method": 1, "not_an_update": 1, "too_large": 1} {
		if got := refusedCount(t, h, reason); got != want {
			t.Errorf("livealert_webhook_refused_total{reason=%q} = %v, want %v", reason, got, want)
		}
	}
	if offset, err := deliver.UpdateOffset(h.ctx, h.store); err != nil || offset != first {
		t.Fatalf("offset %d (%v) after refused deliveries, want %d", offset, err, first)
	}
	if n := len(h.api.Messages(alice.ID)); n != 1 {
		t.Fatalf("%d messages to alice after refused deliveries, want 1", n)
	}

	// With the secret it is handled, once: redeliveries are answered 200 and change nothing.
	for range 3 {
		if code := postHook(t, *hookURL, http.MethodPost, testWebhookSecret, body); code != http.StatusOK {
			t.Fatalf("right secret: %d, want 200", code)
		}
	}
	if code, err := h.api.PostWebhook(h.ctx, first, testWebhookSecret); err != nil || code != http.StatusOK {
		t.Fatalf("redelivery of the first update: %d %v", code, err)
	}
	h.waitHandled(u.ID)
	// 200 came once each update was done: its reply was sent by then.
	if n := len(h.api.Messages(alice.ID)); n != 2 {
		t.Fatalf("%d messages to alice, want 2 (one per /start)", n)
	}

	// After a restart the saved offset still marks it done.
	h.restart()
	var code int
	eventually(t, func() bool { // 503 until the bot has connected, as Telegram would retry
		code = postHook(t, *hookURL, http.MethodPost, testWebhookSecret, body)
		return code != http.StatusServiceUnavailable
	})
	if code != http.StatusOK {
		t.Fatalf("redelivery after a restart: %d, want 200", code)
	}
	if n := len(h.api.Messages(alice.ID)); n != 2 {
		t.Fatalf("%d messages to alice after a redelivery across a restart, want 2", n)
	}
}

// TestWebhookSwitchBackToPolling: a bot started without a webhook URL after one with it
// deletes the webhook, and long polling works again.
func TestWebhookSwitchBackToPolling(t *testing.T) {
	t.Parallel()
	webhook := true
	h, _ := webhookHarness(t, &webhook)
	h.start()
	h.reply(aliceChat, alice, "/start")
	if _, ok := h.api.Webhook(); !ok {
		t.Fatal("no webhook set")
	}
	webhook = false
	h.restart()
	if info, ok := h.api.Webhook(); ok {
		t.Fatalf("webhook %+v still set in long polling", info)
	}
	h.reply(bobChat, bob, "/start")
	if h.api.Calls("getUpdates") == 0 {
		t.Fatal("no getUpdates call")
	}
}

// TestWebhookConfig: a webhook needs an HTTP listener and a secret Telegram accepts; with
// none the bot makes up one, masked in what is logged.
func TestWebhookConfig(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ url, secret, want string }{
		{"https://example.org/hook", "bad secret", "webhook secret"},
		{"https://example.org/hook", strings.Repeat("a", 257), "webhook secret"},
		{"ftp://example.org/hook", "", "not an https URL"},
		{"https://example.org/metrics", "", "health or metrics"},
	} {
		if _, err := newWebhookConfig(tc.url, tc.secret); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("newWebhookConfig(%q, %q) = %v, want an error with %q", tc.url, tc.secret, err, tc.want)
		}
	}
	a, err := newWebhookConfig("https://example.org", "")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := newWebhookConfig("https://example.org", "")
	if !validWebhookSecret(a.secret) || a.secret == b.secret || a.path != "/" {
		t.Fatalf("made-up secrets %q, %q; path %q", a.secret, b.secret, a.path)
	}
	store, err := subscriptions.Open(t.Context(), subscriptions.Options{Path: filepath.Join(t.TempDir(), "l.db"), Topics: testTopics})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := newBot(Options{Store: store, WebhookURL: "https://example.org/hook"}); err == nil || !strings.Contains(err.Error(), "HTTP listener") {
		t.Fatalf("a webhook without a listener: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	bot, err := newBot(Options{Store: store, Token: "1:T", HTTP: ln, WebhookURL: "https://example.org/hook"})
	if err != nil {
		t.Fatal(err)
	}
	if got := bot.secrets.mask("secret=" + bot.webhook.secret); got != "secret=<redacted>" {
		t.Fatalf("webhook secret not masked: %q", got)
	}
}

// TestWebhookKeepsReadiness: without long polling, the bot asks getWebhookInfo every
// PollTimeout, which keeps /readyz's "Telegram answered" fresh.
func TestWebhookKeepsReadiness(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	h := newHarness(t, harnessOptions{Bot: func(o *Options) {
		o.HTTP, o.WebhookURL, o.PollTimeout = ln, base+"/hook", 20*time.Millisecond
	}})
	h.start()
	h.clock.Advance(telegramStale + time.Minute)
	if err := h.api.WaitCalls(h.waitCtx(), "getWebhookInfo", h.api.Calls("getWebhookInfo")+2); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/readyz in webhook mode: %d, want 200", resp.StatusCode)
	}
	if info, ok := h.api.Webhook(); !ok || !validWebhookSecret(info.SecretToken) {
		t.Fatalf("webhook %+v: want a made-up secret", info)
	}
}

// refusedCount reads livealert_webhook_refused_total{reason} from the bot's registry.
func refusedCount(t *testing.T, h *harness, reason string) float64 {
	t.Helper()
	families, err := h.bot.metrics.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "livealert_webhook_refused_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "reason" && l.GetValue() == reason {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}
