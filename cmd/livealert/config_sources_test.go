package main

import (
	"testing"

	"livealert/sources"
)

// A channel is configured as @name or a t.me link and read from its web preview.
func TestConfigTelegramChannelURL(t *testing.T) {
	for _, raw := range []string{"@vvgladkov", "t.me/vvgladkov", "https://t.me/vvgladkov", "https://t.me/s/vvgladkov"} {
		cfg, err := loadConfig(writeConfig(t, "sources:\n  - name: Gladkov\n    url: \""+raw+"\"\n    format: telegram\n"))
		if err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		src := cfg.Sources[0].source()
		if src.URL != "https://t.me/s/vvgladkov" || src.Format != sources.FormatTelegram {
			t.Errorf("%s: url %q, format %q", raw, src.URL, src.Format)
		}
	}
}
