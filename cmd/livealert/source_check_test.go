package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runCheck runs livealert with args and returns what it printed, the error it returned
// (as main would print it) and its exit code, with replace's keys swapped for their values.
func runCheck(t *testing.T, args []string, replace map[string]string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	p := &program{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }, now: time.Now}
	err := p.run(context.Background(), args)
	out := stdout.String()
	if stderr.Len() > 0 {
		out += "--- stderr:\n" + stderr.String()
	}
	if err != nil {
		out += "--- livealert: " + err.Error() + "\n"
	}
	out += "--- exit " + []string{"0", "1", "2"}[exitCodeOf(err)] + "\n"
	for from, to := range replace {
		out = strings.ReplaceAll(out, from, to)
	}
	return out
}

func exitCodeOf(err error) int {
	if err == nil {
		return 0
	}
	return exitCode(err)
}

// fixtureCopy copies a testdata file into a temporary directory and sets its modification
// time, which the output shows as Last-Modified.
func fixtureCopy(t *testing.T, name string) (path, dir string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	path = filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	mtime := time.Date(2024, 11, 2, 23, 30, 0, 0, time.UTC)
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	return path, dir
}

func TestSourceCheckOutput(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.Header.Get("User-Agent"), "livealert/") {
			http.Error(w, "who are you?", http.StatusForbidden)
			return
		}
		name := strings.TrimPrefix(r.URL.Path, "/")
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Last-Modified", "Fri, 19 Feb 2021 20:00:00 GMT")
		if strings.HasSuffix(name, ".html") {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		w.Write(data)
	}))
	defer srv.Close()
	text, textDir := fixtureCopy(t, "check_liveblog.txt")
	replace := map[string]string{srv.URL: "http://SERVER", textDir: "TMP"}

	tests := []struct {
		name string
		args []string
	}{
		{"liveblog_file", []string{"source", "check", text}},
		{"liveblog_file_limited", []string{"source", "check", text, "-n", "2"}},
		{"undated_jsonld_url", []string{"source", "check", srv.URL + "/check_undated.html"}},
		{"nothing_found", []string{"source", "check", "-format", "liveblog", "-container", "main", srv.URL + "/check_undated.html"}},
		{"http_error", []string{"source", "check", srv.URL + "/missing.html"}},
		{"follow", []string{"source", "check", srv.URL + "/check_index.html", "-follow", `/check_[a-z]+\.txt$`, "-n", "1"}},
		{"follow_no_match", []string{"source", "check", srv.URL + "/check_index.html", "-follow", `/live/\d+`}},
		{"bad_format", []string{"source", "check", text, "-format", "html"}},
		{"no_subcommand", []string{"source"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			golden(t, "source_check_"+tt.name+".txt", runCheck(t, tt.args, replace))
		})
	}
}

// A configured source is checked with its settings: here the example's selectors.
func TestSourceCheckConfiguredSource(t *testing.T) {
	page, dir := fixtureCopy(t, "check_selectors.html")
	cfg := writeConfig(t, `
sources:
  - name: Quay live
    url: `+page+`
    format: selectors
    selectors:
      entry: .post
      title: h2
      time: time
      time_attr: datetime
      body: .text
      permalink_attr: id
`)
	out := runCheck(t, []string{"source", "check", "-config", cfg, "-source", "quay live"}, map[string]string{dir: "TMP"})
	golden(t, "source_check_configured.txt", out)
}
