package main

import (
	"fmt"
	"net/url"
	"regexp"
)

// webhookSecretEnv holds the webhook's secret_token; without it the bot makes up a random one
// at each start.
const webhookSecretEnv = "LIVEALERT_WEBHOOK_SECRET"

// webhookSecretRE is the shape of a secret_token Telegram accepts.
var webhookSecretRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// WebhookConfig turns on webhook mode.
type WebhookConfig struct {
	// URL is the public https URL Telegram delivers updates to; the HTTP listener serves its
	// path (a reverse proxy may map it). "" for long polling.
	URL string `yaml:"url"`
}

// validate adds the problems of the webhook settings to p.
func (w WebhookConfig) validate(p *problems) {
	if w.URL == "" {
		return
	}
	u, err := url.Parse(w.URL)
	switch {
	case err != nil || u.Scheme != "https" || u.Host == "":
		p.add("telegram.webhook.url", "%q is not an https URL (Telegram delivers to https only)", w.URL)
	case u.Path == "/healthz" || u.Path == "/readyz" || u.Path == "/metrics":
		p.add("telegram.webhook.url", "%q: the path %s is taken by the HTTP listener", w.URL, u.Path)
	case u.RawQuery != "" || u.Fragment != "":
		p.add("telegram.webhook.url", "%q: only its path is served; drop the query", w.URL)
	}
}

// checkWebhook reports what keeps webhook mode from running: a webhook URL with no HTTP
// listener to serve it (a *ConfigError about the file at path), or a $LIVEALERT_WEBHOOK_SECRET
// Telegram would refuse (a *usageError that never holds the secret).
func (p *program) checkWebhook(cfg Config, path string) error {
	if cfg.Telegram.Webhook.URL != "" && p.httpListen(cfg) == "" {
		return &ConfigError{File: path, Problems: []string{
			"telegram.webhook.url: needs the HTTP listener to serve it: set http.listen (or $" + httpListenEnv + ")"}}
	}
	if s := p.getenv(webhookSecretEnv); s != "" && !webhookSecretRE.MatchString(s) {
		return &usageError{msg: fmt.Sprintf("%s must be 1-256 characters of A-Z, a-z, 0-9, _ and -", webhookSecretEnv)}
	}
	return nil
}
