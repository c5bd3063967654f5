package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const minimalConfig = `
sources:
  - name: wire
    url: https://example.com/live.txt
`

func TestConfigDefaults(t *testing.T) {
	cfg, err := loadConfig(writeConfig(t, minimalConfig))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Telegram.APIURL != "https://api.telegram.org" || cfg.Storage.Path != "livealert.db" ||
		cfg.Digest.Time != "08:00" || cfg.Digest.TimeZone != "UTC" || cfg.Log.Level != "info" {
		t.Fatalf("defaults not applied: %+v", cfg)
	}
	if cfg.Sources[0].PollInterval != 0 || cfg.Sources[0].Format != "" {
		t.Fatalf("source: %+v", cfg.Sources[0])
	}
}

func TestExampleConfigIsValid(t *testing.T) {
	cfg, err := loadConfig("../../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, tc := range cfg.Topics {
		names[tc.Name] = true
	}
	for _, want := range []string{"Belgorod", "Drones", "Diplomacy", "Missiles", "Air defence", "Energy", "Prisoners", "Humanitarian"} {
		if !names[want] {
			t.Errorf("the example catalog lacks %q", want)
		}
	}
	if cfg.Sources[0].PollInterval != Duration(2*time.Minute) {
		t.Errorf("first source's poll interval %v", time.Duration(cfg.Sources[0].PollInterval))
	}
}

func TestConfigProblemsAllAtOnceWithPaths(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // each must appear among the problems
	}{
		{
			name: "unknown keys at every depth",
			yaml: "telegram:\n  tokn: x\nsources:\n  - name: a\n    url: /tmp/a\n    pol_interval: 1m\nstorage:\n  path: x.db\nextra: 1\n",
			want: []string{"telegram.tokn: unknown key", "sources[0].pol_interval: unknown key", "extra: unknown key"},
		},
		{
			name: "bad duration, bad zone, missing url, bad format",
			yaml: "sources:\n  - name: a\n    poll_interval: 5 minutes\n  - name: b\n    url: http://x/\n    format: html\ndigest:\n  time_zone: Mars/Olympus\n  time: \"25:00\"\n",
			want: []string{
				`sources[0].poll_interval: "5 minutes" is not a duration`,
				"sources[0].url: missing",
				`sources[1].format: "html" is not one of auto, liveblog, jsonld, selectors, telegram, feed`,
				`digest.time_zone: "Mars/Olympus" is not a time zone`,
				`digest.time: "25:00" is not a time of day`,
			},
		},
		{
			name: "selectors, container, follow",
			yaml: "sources:\n  - name: a\n    url: /x\n    format: selectors\n  - name: b\n    url: /y\n    container: \"div[\"\n    follow: \"live/(\"\n" +
				"    selectors:\n      title: h2\n      body: \"p:nope\"\n      time_layout: hh:mm\n      time_zone: Mars/Olympus\n",
			want: []string{
				"sources[0].selectors: missing: format selectors needs selectors",
				`sources[1].container: "div[" is not a CSS selector`,
				`sources[1].follow: "live/(" is not a regular expression`,
				"sources[1].selectors.entry: missing",
				`sources[1].selectors.body: "p:nope" is not a CSS selector`,
				`sources[1].selectors.time_layout: "hh:mm" is not a Go time layout`,
				`sources[1].selectors.time_zone: "Mars/Olympus" is not a time zone`,
			},
		},
		{
			name: "telegram channels Telegram would refuse",
			yaml: "sources:\n  - name: a\n    url: \"@abc\"\n  - name: b\n    url: t.me/joinchat/AbCdEf\n  - name: c\n    url: \"@vvgladkov\"\n",
			want: []string{
				`sources[0].url: "@abc" is not a Telegram channel`,
				`sources[1].url: "t.me/joinchat/AbCdEf" is not a Telegram channel`,
			},
		},
		{
			name: "wrong types",
			yaml: "telegram:\n  admins: [12, abc]\nsources:\n  - name: a\n    url: /x\n",
			want: []string{`telegram.admins[1]: "abc" is not a whole number`},
		},
		{
			name: "duplicates and empty names",
			yaml: "sources:\n  - name: a\n    url: /x\n  - name: A\n    url: /y\n  - url: /z\ntopics:\n  - name: Drones\n    keywords: [drone]\n  - name: drones\n    keywords: [uav]\n  - name: Empty\n",
			want: []string{
				`sources[1].name: "A" is also the name of sources[0]`,
				"sources[2].name: missing",
				`topics[1].name: "drones" is also the name of topics[0]`,
				"topics[2].keywords: missing",
			},
		},
		{
			name: "bad keyword query",
			yaml: "sources:\n  - name: a\n    url: /x\ntopics:\n  - name: Talks\n    keywords: [\"\\\"peace talks\"]\n",
			want: []string{"topics[0].keywords[0]:"},
		},
		{
			name: "no sources, bad api url, bad log level",
			yaml: "telegram:\n  api_url: api.telegram.org\nlog:\n  level: loud\n",
			want: []string{"sources: missing", `telegram.api_url: "api.telegram.org" is not an http(s) URL`, `log.level: "loud"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeConfig(t, tt.yaml)
			_, err := loadConfig(path)
			var cfgErr *ConfigError
			if !errors.As(err, &cfgErr) {
				t.Fatalf("got %v, want a *ConfigError", err)
			}
			all := strings.Join(cfgErr.Problems, "\n")
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("no problem says %q; problems:\n%s", w, all)
				}
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error does not name the file: %v", err)
			}
		})
	}
}

func TestMissingConfigFileNamesIt(t *testing.T) {
	_, err := loadConfig("/nonexistent/livealert.yaml")
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/livealert.yaml") || !strings.Contains(err.Error(), "no such file") {
		t.Fatalf("got %v", err)
	}
	if exitCode(err) != 2 {
		t.Fatalf("exit code %d, want 2", exitCode(err))
	}
}

func TestSourceConfigBecomesSource(t *testing.T) {
	cfg, err := loadConfig(writeConfig(t, `
sources:
  - name: wire
    url: https://example.com/live
    format: selectors
    poll_interval: 90s
    container: main
    split_liveblog_items: true
    alert_on_edit: true
    follow: /live/\d+
    selectors:
      entry: .post
      title: h2
      time: time
      time_attr: datetime
      time_layout: "2006-01-02 15:04"
      time_zone: Europe/London
      body: .text
      permalink: a
      permalink_attr: href
  - name: plain
    url: /tmp/x.txt
`))
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.Sources[0].source()
	if s.Name != "wire" || s.Format != "selectors" || s.PollInterval != 90*time.Second || s.Container != "main" ||
		!s.SplitLiveBlogItems || !s.AlertOnEdit || s.Follow == nil || s.Follow.String() != `/live/\d+` {
		t.Errorf("source %+v", s)
	}
	sel := s.Selectors
	if sel == nil || sel.Entry != ".post" || sel.Title != "h2" || sel.Time != "time" || sel.TimeAttr != "datetime" ||
		sel.TimeLayout != "2006-01-02 15:04" || sel.TimeZone == nil || sel.TimeZone.String() != "Europe/London" ||
		sel.Body != ".text" || sel.Permalink != "a" || sel.PermalinkAttr != "href" {
		t.Errorf("selectors %+v", sel)
	}
	p := cfg.Sources[1].source()
	if p.Format != "auto" || p.PollInterval != time.Minute || p.Selectors != nil || p.Follow != nil || p.AlertOnEdit {
		t.Errorf("plain source %+v", p)
	}
}
