package main

import (
	"errors"
	"strings"
	"testing"
)

// Each Validate problem is named by its YAML path; one case per rule that
// TestConfigProblemsAllAtOnceWithPaths does not reach.
func TestConfigValidatePaths(t *testing.T) {
	const source = "sources:\n  - name: a\n    url: /x\n"
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"admin id not positive", "telegram:\n  admins: [5, -3]\n" + source, "telegram.admins[1]: -3 is not a Telegram user id"},
		{"empty storage path", "storage:\n  path: \"\"\n" + source, "storage.path: must not be empty"},
		{"storage driver", "storage:\n  driver: mysql\n" + source, `storage.driver: "mysql" is not sqlite or postgres`},
		{"storage dsn, its password masked", "storage:\n  driver: postgres\n  dsn: mysql://bot:s3cret@db/livealert\n" + source,
			`storage.dsn: "mysql://bot:xxxxx@db/livealert" is not a PostgreSQL DSN`},
		{"url without host", "sources:\n  - name: a\n    url: https:///live\n", `sources[0].url: "https:///live" has no host`},
		{"url of a scheme the fetcher lacks", "sources:\n  - name: a\n    url: ftp://example.org/feed.xml\n", `sources[0].url: "ftp://example.org/feed.xml" is not an http(s) URL or a file path`},
		{"negative poll interval", "sources:\n  - name: a\n    url: /x\n    poll_interval: -1m\n", "sources[0].poll_interval: must be positive"},
		{"poll interval not a scalar", "sources:\n  - name: a\n    url: /x\n    poll_interval: {m: 1}\n", "is not a duration"},
		{"topic name too long", source + "topics:\n  - name: " + strings.Repeat("n", maxTopicKey+1) + "\n    keywords: [x]\n", "topics[0].name: \"" + strings.Repeat("n", maxTopicKey+1) + "\" is longer than 40 bytes"},
		{"bad exclude query", source + "topics:\n  - name: t\n    keywords: [x]\n    exclude: [\"(a\"]\n", "topics[0].exclude[0]: \"(a\":"},
		{"empty time zone", source + "digest:\n  time_zone: \"\"\n", `digest.time_zone: "" is not a time zone`},
		{"log format", source + "log:\n  format: xml\n", `log.format: "xml" is not one of text, json`},
		{"access mode", source + "access:\n  mode: closed\n", `access.mode: "closed" is not open or allowlist`},
		{"access user id", source + "access:\n  mode: allowlist\n  users: [7, 0]\n", "access.users[1]: 0 is not a Telegram user id"},
		{"http listen", source + "http:\n  listen: nine\n", `http.listen: "nine" is not an address to listen on`},
		{"default language", source + "default_language: de\n", `default_language: "de" is not a language the bot writes (en, ru, uk)`},
		{"topic name in an unknown language", source + "topics:\n  - name: t\n    keywords: [x]\n    names: {de: Drohnen}\n", `topics[0].names.de: "de" is not a language the bot writes`},
		{"translated name of another topic", source + "topics:\n  - name: a\n    keywords: [x]\n  - name: b\n    keywords: [y]\n    names: {uk: A}\n", `topics[1].names.uk: "A" is also the name of topics[0]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadConfig(writeConfig(t, tt.yaml))
			var cfgErr *ConfigError
			if !errors.As(err, &cfgErr) {
				t.Fatalf("got %v, want a *ConfigError", err)
			}
			all := strings.Join(cfgErr.Problems, "\n")
			if !strings.Contains(all, tt.want) {
				t.Fatalf("no problem says %q; problems:\n%s", tt.want, all)
			}
		})
	}
}
