package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Every way of calling `livealert source check` wrongly exits 2 and says what is wrong;
// a check that runs and finds nothing, or cannot fetch, exits 1.
func TestSourceCheckExitCodes(t *testing.T) {
	text, _ := fixtureCopy(t, "check_liveblog.txt")
	cfg := writeConfig(t, "sources:\n  - name: Wire\n    url: "+text+"\n")
	missing := filepath.Join(t.TempDir(), "missing.yaml")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"a file", []string{"source", "check", text}, 0, ""},
		{"help", []string{"source", "check", "-h"}, 0, ""},
		{"configured source by name, any case", []string{"source", "check", "-config", cfg, "-source", "wIRE"}, 0, ""},
		{"unknown subcommand", []string{"source", "list"}, 2, "usage: livealert source check"},
		{"no URL", []string{"source", "check"}, 2, "source check: give a URL or a file"},
		{"two URLs", []string{"source", "check", text, text}, 2, "source check: one URL or file, not 2"},
		{"unknown flag", []string{"source", "check", "-bogus", text}, 2, "flag provided but not defined: -bogus"},
		{"-config without -source", []string{"source", "check", "-config", cfg}, 2, "-config and -source go together"},
		{"-source without -config", []string{"source", "check", "-source", "Wire"}, 2, "-config and -source go together"},
		{"-source names nothing", []string{"source", "check", "-config", cfg, "-source", "other"}, 2, `names no source "other"`},
		{"-config missing", []string{"source", "check", "-config", missing, "-source", "Wire"}, 2, "config " + missing + ": no such file"},
		{"bad -container", []string{"source", "check", "-container", "[[", text}, 2, `-container "[[" is not a CSS selector`},
		{"bad -follow", []string{"source", "check", "-follow", "(", text}, 2, `-follow "(":`},
		{"missing file", []string{"source", "check", filepath.Join(t.TempDir(), "nope.txt")}, 1, "no such file or directory"},
		{"unsupported scheme", []string{"source", "check", "ftp://example.org/x"}, 1, "unsupported url scheme"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			p := &program{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }, now: time.Now}
			err := p.run(context.Background(), tt.args)
			if code := exitCodeOf(err); code != tt.wantCode {
				t.Fatalf("exit code %d (error %v), want %d", code, err, tt.wantCode)
			}
			if tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %q, want it to hold %q", err, tt.wantErr)
			}
		})
	}
}
