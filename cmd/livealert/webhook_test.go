package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// telegram.webhook.url must be an https URL whose path the listener can serve.
func TestConfigWebhookURL(t *testing.T) {
	const source = "sources:\n  - name: a\n    url: /x\n"
	tests := []struct{ url, want string }{
		{"http://bot.example.org/hook", `telegram.webhook.url: "http://bot.example.org/hook" is not an https URL`},
		{"https:///hook", `telegram.webhook.url: "https:///hook" is not an https URL`},
		{"https://bot.example.org/metrics", "telegram.webhook.url: \"https://bot.example.org/metrics\": the path /metrics is taken"},
		{"https://bot.example.org/hook?x=1", "only its path is served"},
	}
	for _, tt := range tests {
		_, err := loadConfig(writeConfig(t, "telegram:\n  webhook:\n    url: \""+tt.url+"\"\n"+source))
		var cfgErr *ConfigError
		if !errors.As(err, &cfgErr) || !strings.Contains(strings.Join(cfgErr.Problems, "\n"), tt.want) {
			t.Errorf("url %q: %v, want a problem %q", tt.url, err, tt.want)
		}
	}
	cfg, err := loadConfig(writeConfig(t, "telegram:\n  webhook:\n    url: https://bot.example.org/tg/hook\n"+source))
	if err != nil || cfg.Telegram.Webhook.URL != "https://bot.example.org/tg/hook" {
		t.Fatalf("good webhook url: %+v, %v", cfg.Telegram.Webhook, err)
	}
}

// A webhook needs the HTTP listener, from http.listen or $LIVEALERT_HTTP_LISTEN, and a
// $LIVEALERT_WEBHOOK_SECRET Telegram accepts, which no error repeats.
func TestCheckWebhook(t *testing.T) {
	const source = "sources:\n  - name: a\n    url: /x\n"
	const hook = "telegram:\n  webhook:\n    url: https://bot.example.org/hook\n"
	run := func(yaml string, env map[string]string) error {
		env[tokenEnv] = "1:x"
		p := &program{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: func(k string) string { return env[k] }, now: time.Now}
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // a bot that gets as far as running stops at once
		return p.run(ctx, []string{"-config", writeConfig(t, yaml)})
	}
	err := run(hook+source, map[string]string{})
	var cfgErr *ConfigError
	if !errors.As(err, &cfgErr) || !strings.Contains(cfgErr.Error(), "telegram.webhook.url: needs the HTTP listener") || !strings.Contains(cfgErr.Error(), httpListenEnv) {
		t.Fatalf("webhook without a listener: %v, want a *ConfigError", err)
	}

	p := &program{getenv: func(k string) string { return map[string]string{httpListenEnv: ":9090"}[k] }}
	var cfg Config
	cfg.Telegram.Webhook.URL = "https://bot.example.org/hook"
	if err := p.checkWebhook(cfg, "c.yaml"); err != nil {
		t.Fatalf("listener from the environment: %v", err)
	}
	p.getenv = func(string) string { return "" }
	cfg.HTTP.Listen = "127.0.0.1:9090"
	if err := p.checkWebhook(cfg, "c.yaml"); err != nil {
		t.Fatalf("listener from http.listen: %v", err)
	}
	for _, secret := range []string{"has space", "ünï", strings.Repeat("s", 257), "semi;colon"} {
		p.getenv = func(k string) string { return map[string]string{webhookSecretEnv: secret}[k] }
		err := p.checkWebhook(cfg, "c.yaml")
		var usage *usageError
		if !errors.As(err, &usage) || !strings.Contains(err.Error(), webhookSecretEnv) || strings.Contains(err.Error(), secret) {
			t.Errorf("secret %q: %v, want a usage error that does not repeat it", secret, err)
		}
	}
	p.getenv = func(k string) string {
		return map[string]string{webhookSecretEnv: "Good_secret-" + strings.Repeat("x", 244)}[k]
	}
	if err := p.checkWebhook(cfg, "c.yaml"); err != nil {
		t.Fatalf("a 256-character secret: %v", err)
	}
}
