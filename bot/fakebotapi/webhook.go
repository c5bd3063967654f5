package fakebotapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/go-telegram/bot/models"
)

// webhookRetry is how long the fake waits before it delivers again an update whose delivery
// was not answered 200.
const webhookRetry = 20 * time.Millisecond

// webhookSecretHeader carries setWebhook's secret_token in every delivery.
const webhookSecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// webhook is the webhook set by setWebhook; a new setWebhook or deleteWebhook replaces it,
// which ends its delivery loop.
type webhook struct {
	url            string
	secret         string
	maxConnections int
	allowed        []string
	lastError      string
	lastErrorDate  int
}

// WebhookInfo is the webhook the bot set, as the fake recorded it.
type WebhookInfo struct {
	URL            string
	SecretToken    string
	AllowedUpdates []string
	MaxConnections int
	// LastError is the last failed delivery ("Wrong response from the webhook: 401
	// Unauthorized"), "" when none failed.
	LastError string
}

// Webhook returns the webhook set, and false while none is (long polling).
func (s *Server) Webhook() (WebhookInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.webhook == nil {
		return WebhookInfo{}, false
	}
	w := s.webhook
	return WebhookInfo{URL: w.url, SecretToken: w.secret, AllowedUpdates: w.allowed, MaxConnections: w.maxConnections, LastError: w.lastError}, true
}

// WebhookDeliveries is how many webhook deliveries (POSTs to the webhook URL, by the fake's
// delivery loop or PostWebhook) have been answered with status code.
func (s *Server) WebhookDeliveries(code int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhookAnswers[code]
}

// setWebhook implements setWebhook. Like Telegram, once a webhook is set getUpdates answers
// 409, and queued updates (of the types allowed_updates allows) are POSTed to url one at a
// time, in order, as JSON with the secret_token in the X-Telegram-Bot-Api-Secret-Token
// header; an update is confirmed when its delivery is answered 200 and delivered again after
// webhookRetry otherwise. Deliveries are sequential whatever max_connections says.
func (s *Server) setWebhook(p params) (any, *apiError) {
	raw := p["url"]
	if raw == "" {
		s.mu.Lock()
		s.webhook = nil
		s.notifyLocked()
		s.mu.Unlock()
		return true, nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	secret := p["secret_token"]
	if len(secret) > 256 || !secretShaped(secret) {
		return nil, badRequest("secret token contains unallowed characters")
	}
	var allowed []string
	if a := p["allowed_updates"]; a != "" {
		if err := json.Unmarshal([]byte(a), &allowed); err != nil {
			return nil, badRequest("can't parse allowed_updates JSON array")
		}
	}
	maxConn, _ := p.int("max_connections")
	if maxConn == 0 {
		maxConn = 40
	}
	w := &webhook{url: raw, secret: secret, maxConnections: maxConn, allowed: allowed}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p["allowed_updates"] != "" {
		s.allowedUpdates = nil
		if len(allowed) > 0 {
			s.allowedUpdates = map[string]bool{}
			for _, a := range allowed {
				s.allowedUpdates[a] = true
			}
		}
	}
	if p.bool("drop_pending_updates") {
		s.queue = nil
	}
	if s.poll != nil {
		close(s.poll.abort)
		s.poll = nil
	}
	s.webhook = w
	s.notifyLocked()
	go s.deliverWebhook(w)
	return true, nil
}

// secretShaped reports whether s holds only the characters Telegram allows in a secret
// token: A-Z, a-z, 0-9, _ and -.
func secretShaped(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

// getWebhookInfo implements getWebhookInfo.
func (s *Server) getWebhookInfo() (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := models.WebhookInfo{PendingUpdateCount: len(s.queue)}
	if w := s.webhook; w != nil {
		info.URL, info.MaxConnections, info.AllowedUpdates = w.url, w.maxConnections, w.allowed
		info.LastErrorMessage, info.LastErrorDate = w.lastError, w.lastErrorDate
	}
	return info, nil
}

// webhookConflict is getUpdates' answer while a webhook is set.
var webhookConflict = &apiError{code: http.StatusConflict,
	description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}

// deliverWebhook delivers queued updates to w until w is no longer the webhook set or the
// server closes.
func (s *Server) deliverWebhook(w *webhook) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-s.closed:
			cancel()
		case <-ctx.Done():
		}
	}()
	for {
		s.mu.Lock()
		if s.webhook != w {
			s.mu.Unlock()
			return
		}
		next := s.collectLocked(0, 1)
		var id int64
		if len(next) > 0 {
			id = s.queue[0].id // collectLocked kept only allowed updates, by increasing id
		}
		changed := s.changed
		s.mu.Unlock()
		if len(next) == 0 {
			select {
			case <-changed:
				continue
			case <-ctx.Done():
				return
			}
		}
		code, err := s.post(ctx, w.url, w.secret, next[0])
		s.mu.Lock()
		if code == http.StatusOK {
			s.confirmLocked(id + 1)
		} else if s.webhook == w {
			w.lastErrorDate = now()
			if err != nil {
				w.lastError = "Connection refused: " + err.Error()
			} else {
				w.lastError = fmt.Sprintf("Wrong response from the webhook: %d %s", code, http.StatusText(code))
			}
		}
		s.notifyLocked()
		s.mu.Unlock()
		if code != http.StatusOK && !s.sleep(ctx, webhookRetry) {
			return
		}
	}
}

// post POSTs one update to a webhook and returns the status code it was answered with, 0
// when the request failed.
func (s *Server) post(ctx context.Context, url, secret string, update []byte) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(update))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set(webhookSecretHeader, secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	s.mu.Lock()
	if s.webhookAnswers == nil {
		s.webhookAnswers = map[int]int{}
	}
	s.webhookAnswers[resp.StatusCode]++
	s.notifyLocked()
	s.mu.Unlock()
	return resp.StatusCode, nil
}

// PostWebhook POSTs update id again to the webhook set, with secret as the
// X-Telegram-Bot-Api-Secret-Token header ("" for none), as Telegram redelivers an update
// whose delivery it thinks failed, and returns the status code the bot answered. The update
// must have been injected into this server; it need not be pending.
func (s *Server) PostWebhook(ctx context.Context, id int64, secret string) (int, error) {
	s.mu.Lock()
	raw, ok := s.sent[id]
	w := s.webhook
	s.mu.Unlock()
	switch {
	case !ok:
		return 0, fmt.Errorf("fakebotapi: no update %d", id)
	case w == nil:
		return 0, fmt.Errorf("fakebotapi: no webhook set")
	}
	return s.post(ctx, w.url, secret, raw)
}

// Update returns update id as the server sent or would send it, and false when no update
// has that id.
func (s *Server) Update(id int64) (models.Update, bool) {
	s.mu.Lock()
	raw, ok := s.sent[id]
	s.mu.Unlock()
	var u models.Update
	if !ok || json.Unmarshal(raw, &u) != nil {
		return models.Update{}, false
	}
	return u, true
}
