package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"livealert/sources"
)

// commentedSource returns the commented-out source of config.example.yaml that starts with
// "# - name: <name>", uncommented, as a one-source configuration.
func commentedSource(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile("../../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	in := false
	for _, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "# - name: "+name {
			in = true
		} else if in && !strings.HasPrefix(trimmed, "#   ") {
			break
		}
		if in {
			out = append(out, "  "+strings.TrimPrefix(trimmed, "# "))
		}
	}
	if len(out) == 0 {
		t.Fatalf("config.example.yaml has no commented source %q", name)
	}
	return "sources:\n" + strings.Join(out, "\n") + "\n"
}

// The Express example in config.example.yaml reads the Express page of the corpus: its
// nine updates, with times and permalinks.
func TestExampleExpressSelectorsWork(t *testing.T) {
	cfg, err := loadConfig(writeConfig(t, commentedSource(t, "Express royals live")))
	if err != nil {
		t.Fatal(err)
	}
	src := cfg.Sources[0].source()
	if src.Format != sources.FormatSelectors || src.Selectors == nil {
		t.Fatalf("source %+v", src)
	}
	corpus := "../../../shared/corpus"
	if _, err := os.Stat(corpus); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("corpus folder %s is absent", corpus)
	}
	page, err := os.ReadFile(filepath.Join(corpus, "express_liveblog_2024-07-18_full.html"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := sources.ParsePage(src, sources.Response{Body: page, ContentType: "text/html", URL: src.URL})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Entries) != 9 {
		t.Fatalf("%d entries, want 9", len(r.Entries))
	}
	for i, e := range r.Entries {
		if e.Published.IsZero() || e.Title == "" || len(e.Body) == 0 || !strings.HasPrefix(e.URL, src.URL+"#live-1924698-") {
			t.Errorf("entry %d: %v %q %d paragraphs %q", i, e.Published, e.Title, len(e.Body), e.URL)
		}
	}
}

func TestExampleFollowSourceIsValid(t *testing.T) {
	cfg, err := loadConfig(writeConfig(t, commentedSource(t, "Daily war live blog")))
	if err != nil {
		t.Fatal(err)
	}
	src := cfg.Sources[0].source()
	if src.Follow == nil || !src.Follow.MatchString("https://news.example.org/live/2024/jan/05/war-live-updates") {
		t.Errorf("follow %v", src.Follow)
	}
}

func TestExampleTelegramChannelIsValid(t *testing.T) {
	cfg, err := loadConfig(writeConfig(t, commentedSource(t, "Belgorod governor")))
	if err != nil {
		t.Fatal(err)
	}
	if src := cfg.Sources[0].source(); src.URL != "https://t.me/s/vvgladkov" || src.Format != sources.FormatTelegram {
		t.Errorf("source %+v", src)
	}
}
