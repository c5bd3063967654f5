package main

import (
	"errors"
	"strings"
	"testing"
)

func TestConfigTelegramRate(t *testing.T) {
	tests := []struct {
		name     string
		telegram string
		wantRate float64
		wantPaid bool
		problem  string // "" when valid
	}{
		{name: "default", telegram: "", wantRate: 25},
		{name: "at the free limit", telegram: "  rate: 30\n", wantRate: 30},
		{name: "over the free limit", telegram: "  rate: 31\n", problem: "telegram.rate: 31 is over 30"},
		{name: "paid broadcast lifts it", telegram: "  rate: 1000\n  paid_broadcast: true\n", wantRate: 1000, wantPaid: true},
		{name: "over the paid limit", telegram: "  rate: 1001\n  paid_broadcast: true\n", problem: "telegram.rate: 1001 is over 1000"},
		{name: "zero", telegram: "  rate: 0\n", problem: "telegram.rate: must be positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := loadConfig(writeConfig(t, "telegram:\n  api_url: https://api.telegram.org\n"+tt.telegram+minimalConfig))
			if tt.problem != "" {
				var cfgErr *ConfigError
				if !errors.As(err, &cfgErr) || !strings.Contains(err.Error(), tt.problem) {
					t.Fatalf("got %v, want a problem %q", err, tt.problem)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Telegram.Rate != tt.wantRate || cfg.Telegram.PaidBroadcast != tt.wantPaid {
				t.Fatalf("rate %g paid %v, want %g %v", cfg.Telegram.Rate, cfg.Telegram.PaidBroadcast, tt.wantRate, tt.wantPaid)
			}
		})
	}
}
