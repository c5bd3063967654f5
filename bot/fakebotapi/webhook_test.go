package fakebotapi

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/go-telegram/bot/models"
)

// A webhook set makes getUpdates answer 409 and the fake POST each update, with the secret,
// until it is answered 200; deleteWebhook makes getUpdates work again.
func TestWebhookDeliversUntil200(t *testing.T) {
	t.Parallel()
	s := newServer(t, Options{})
	ctx := testContext(t)

	var mu sync.Mutex
	var got []models.Update
	var secrets []string
	refuse := 2 // answers before the first 200
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var u models.Update
		if err := json.Unmarshal(body, &u); err != nil || r.Method != http.MethodPost {
			t.Errorf("delivery %s %q: %v", r.Method, body, err)
		}
		mu.Lock()
		defer mu.Unlock()
		secrets = append(secrets, r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
		if refuse > 0 {
			refuse--
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		got = append(got, u)
	}))
	t.Cleanup(hook.Close)

	r := call(ctx, t, s, "setWebhook", url.Values{"url": {hook.URL + "/hook"}, "secret_token": {"s3cret_-X"},
		"allowed_updates": {`["message"]`}, "max_connections": {"1"}})
	if !r.OK {
		t.Fatalf("setWebhook: %+v", r)
	}
	if info, ok := s.Webhook(); !ok || info.URL != hook.URL+"/hook" || info.SecretToken != "s3cret_-X" ||
		len(info.AllowedUpdates) != 1 || info.AllowedUpdates[0] != "message" || info.MaxConnections != 1 {
		t.Fatalf("Webhook() = %+v, %v", info, ok)
	}
	if r := call(ctx, t, s, "getUpdates", url.Values{"offset": {"0"}, "limit": {"10"}, "timeout": {"0"}}); r.Status != http.StatusConflict {
		t.Fatalf("getUpdates with a webhook set: %+v, want 409", r)
	}

	id1 := s.SendMessage(PrivateChat(alice), alice, "/start")
	id2 := s.SendMessage(PrivateChat(bob), bob, "hi")
	if err := s.WaitFor(ctx, func() bool { return s.PendingUpdates() == 0 }); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(got) != 2 || got[0].ID != id1 || got[1].ID != id2 || got[0].Message.Text != "/start" {
		t.Fatalf("delivered %+v, want updates %d and %d in order", got, id1, id2)
	}
	for _, sec := range secrets {
		if sec != "s3cret_-X" {
			t.Fatalf("secret header %q", sec)
		}
	}
	mu.Unlock()
	if n := s.WebhookDeliveries(http.StatusUnauthorized); n != 2 {
		t.Fatalf("%d deliveries answered 401, want 2", n)
	}
	var info models.WebhookInfo
	r = call(ctx, t, s, "getWebhookInfo", nil)
	if err := json.Unmarshal(r.Result, &info); err != nil || info.URL != hook.URL+"/hook" || info.LastErrorMessage == "" {
		t.Fatalf("getWebhookInfo: %s (%v)", r.Result, err)
	}

	if code, err := s.PostWebhook(ctx, id1, "wrong"); err != nil || code != http.StatusOK {
		t.Fatalf("PostWebhook: %d %v", code, err)
	}
	mu.Lock()
	if secrets[len(secrets)-1] != "wrong" || len(got) != 3 || got[2].ID != id1 {
		t.Fatalf("PostWebhook sent %+v with %q", got, secrets[len(secrets)-1])
	}
	mu.Unlock()

	if r := call(ctx, t, s, "deleteWebhook", nil); !r.OK {
		t.Fatalf("deleteWebhook: %+v", r)
	}
	if _, ok := s.Webhook(); ok {
		t.Fatal("webhook still set after deleteWebhook")
	}
	id3 := s.SendMessage(PrivateChat(alice), alice, "again")
	r = call(ctx, t, s, "getUpdates", url.Values{"offset": {"0"}, "limit": {"10"}, "timeout": {"0"}})
	var ups []models.Update
	if err := json.Unmarshal(r.Result, &ups); err != nil || !r.OK || len(ups) != 1 || ups[0].ID != id3 {
		t.Fatalf("getUpdates after deleteWebhook: %+v (%v)", r, err)
	}
}

func TestSetWebhookRefusesABadSecret(t *testing.T) {
	t.Parallel()
	s := newServer(t, Options{})
	r := call(testContext(t), t, s, "setWebhook", url.Values{"url": {"https://example.org/hook"}, "secret_token": {"no spaces"}})
	if r.Status != http.StatusBadRequest {
		t.Fatalf("setWebhook with a bad secret: %+v", r)
	}
	if _, ok := s.Webhook(); ok {
		t.Fatal("webhook set")
	}
}
