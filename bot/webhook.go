package bot

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// Webhook deliveries.
const (
	// maxWebhookBody bounds the body of a delivery; an update is far smaller.
	maxWebhookBody = 1 << 20
	// webhookSecretHeader carries the secret_token given to setWebhook.
	webhookSecretHeader = "X-Telegram-Bot-Api-Secret-Token"
	// webhookConnections is setWebhook's max_connections: Telegram then delivers one update at
	// a time, in order, waiting for the answer to each.
	webhookConnections = 1
)

// webhookConfig is the webhook the bot sets and serves.
type webhookConfig struct {
	url    string
	path   string // the URL's path, served on Options.HTTP
	secret string
	online atomic.Bool // connected: deliveries are handled
	// lastWarned is when a refused request was last logged (unix nanoseconds).
	lastWarned atomic.Int64
}

// newWebhookConfig checks a webhook URL and secret, and makes up a random secret when secret
// is "".
func newWebhookConfig(rawURL, secret string) (*webhookConfig, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("bot: webhook URL %q is not an https URL", rawURL)
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	switch path {
	case "/healthz", "/readyz", "/metrics":
		return nil, fmt.Errorf("bot: webhook URL %q: its path is served for health or metrics", rawURL)
	}
	if secret == "" {
		var b [32]byte
		_, _ = rand.Read(b[:]) // never fails
		secret = base64.RawURLEncoding.EncodeToString(b[:])
	} else if !validWebhookSecret(secret) {
		return nil, errors.New("bot: the webhook secret must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
	}
	return &webhookConfig{url: rawURL, path: path, secret: secret}, nil
}

// validWebhookSecret reports whether s is a secret_token Telegram accepts: 1-256 characters
// of A-Z, a-z, 0-9, _ and -.
func validWebhookSecret(s string) bool {
	if len(s) == 0 || len(s) > 256 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// setWebhook asks Telegram to deliver updates to the webhook, retrying while Telegram fails
// otherwise than by refusing the request.
func (b *Bot) setWebhook(ctx context.Context) error {
	delay := time.Second
	for {
		_, err := b.tg.SetWebhook(ctx, &tgbot.SetWebhookParams{
			URL:            b.webhook.url,
			AllowedUpdates: allowedUpdates,
			SecretToken:    b.webhook.secret,
			MaxConnections: webhookConnections,
		})
		if err == nil {
			b.log.Info("webhook set", "url", b.webhook.url)
			return nil
		}
		if errors.Is(err, tgbot.ErrorBadRequest) || errors.Is(err, tgbot.ErrorForbidden) {
			return fmt.Errorf("bot: telegram refused the webhook %s: %s", b.webhook.url, b.redact(err))
		}
		b.log.Warn("set webhook failed, retrying", "error", b.redact(err), "retry_in", delay)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
		delay = min(delay*2, time.Minute)
	}
}

// watchWebhook asks Telegram about the webhook every PollTimeout until ctx ends: the answers
// keep /readyz's "Telegram answered" fresh without long polling, and what Telegram reports
// is logged — deliveries failing (a proxy in the way, a certificate), or another URL set (by
// another instance with the same token).
func (b *Bot) watchWebhook(ctx context.Context) {
	t := time.NewTicker(b.opts.PollTimeout)
	defer t.Stop()
	var lastError int
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		info, err := b.tg.GetWebhookInfo(ctx)
		switch {
		case err != nil:
			if ctx.Err() == nil {
				b.log.Warn("get webhook info failed", "error", b.redact(err))
			}
		case info.URL != b.webhook.url:
			b.log.Error("the webhook set is not this bot's: another instance uses the token?", "url", info.URL)
		case info.LastErrorDate > lastError:
			if lastError != 0 || time.Since(time.Unix(int64(info.LastErrorDate), 0)) < b.opts.PollTimeout {
				b.log.Warn("telegram reports failed webhook deliveries", "error", b.secrets.mask(info.LastErrorMessage),
					"at", time.Unix(int64(info.LastErrorDate), 0).UTC(), "pending_updates", info.PendingUpdateCount)
			}
			lastError = info.LastErrorDate
		}
	}
}

// serveWebhook answers Telegram's deliveries to the webhook path; updates are handled under
// ctx, the bot's.
//
// A delivery is answered 200 only once its update is done (handled, and its replies sent or
// given up on), or when it already was (a redelivery: its id is at or below the offset); a
// delivery of an update taken and not yet done waits for it. Telegram delivers one update at
// a time (max_connections 1) and again until it gets a 200, so an update it forgets about is
// done, and one not done — the process stopped first — comes again: exactly once, without
// the bot keeping updates of its own. Other answers change nothing: 405 to a method other
// than POST, 401 without the exact secret, 413 to a body over 1 MiB, 400 to one that is not
// an update, 503 before the bot has connected or after it began to stop.
func (b *Bot) serveWebhook(ctx context.Context) http.HandlerFunc {
	want := sha256.Sum256([]byte(b.webhook.secret))
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			b.webhookRefused("method")
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		// Hashes have one length, so the comparison tells nothing about the secret's.
		got := sha256.Sum256([]byte(r.Header.Get(webhookSecretHeader)))
		if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			b.webhookRefused("secret")
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				b.webhookRefused("too_large")
				http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		var u models.Update
		if err := json.Unmarshal(body, &u); err != nil || u.ID <= 0 {
			b.webhookRefused("not_an_update")
			http.Error(w, "not an update", http.StatusBadRequest)
			return
		}
		if !b.webhook.online.Load() || ctx.Err() != nil {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		select {
		case ok := <-b.updates.takeOnce(ctx, &u):
			if !ok {
				http.Error(w, "stopping", http.StatusServiceUnavailable)
				return
			}
			w.WriteHeader(http.StatusOK)
		case <-r.Context().Done(): // Telegram gave up waiting; its next delivery waits again
		case <-ctx.Done():
			http.Error(w, "stopping", http.StatusServiceUnavailable)
		}
	}
}

// webhookRefusalLogEvery bounds the warnings about refused webhook requests: a scanner
// hammering the path must not flood the log.
const webhookRefusalLogEvery = time.Minute

// webhookRefused counts a refused webhook request, and warns at most once a minute.
func (b *Bot) webhookRefused(reason string) {
	b.metrics.refused.WithLabelValues(reason).Inc()
	now := time.Now().UnixNano()
	last := b.webhook.lastWarned.Load()
	if now-last >= int64(webhookRefusalLogEvery) && b.webhook.lastWarned.CompareAndSwap(last, now) {
		b.log.Warn("webhook request refused", "reason", reason)
	}
}

// withWebhook serves the webhook's path with webhook and every other path with next.
func withWebhook(path string, webhook, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == path {
			webhook.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}
