package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestToken(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	const secret = "AAHsecretPART_x-9"
	tests := []struct {
		name      string
		env       string
		tokenFile string
		want      string // the token, or "" for an error
		wantErr   string // a part of the error
	}{
		{name: "from the environment", env: " 123456:" + secret + "\n", want: "123456:" + secret},
		{name: "the environment wins over the file", env: "1:a", tokenFile: file("ignored", "2:b\n"), want: "1:a"},
		{name: "from the file, newline trimmed", tokenFile: file("token", "123456:"+secret+"\n"), want: "123456:" + secret},
		{name: "file with a byte-order mark", tokenFile: file("bom", "\ufeff123456:"+secret+"\r\n"), want: "123456:" + secret},
		{name: "missing file", tokenFile: filepath.Join(dir, "nope"), wantErr: "telegram.token_file: open " + filepath.Join(dir, "nope")},
		{name: "empty file", tokenFile: file("empty", " \n"), wantErr: "telegram.token_file: " + filepath.Join(dir, "empty") + " is empty"},
		{name: "directory", tokenFile: dir, wantErr: "telegram.token_file: read " + dir},
		{name: "two lines in the file", tokenFile: file("two", "123456:"+secret+"\n654321:other\n"), wantErr: "does not hold a bot token"},
		{name: "not a token in the file", tokenFile: file("word", secret+"\n"), wantErr: "does not hold a bot token"},
		{name: "a space inside the env token", env: "123456:" + secret + " x", wantErr: tokenEnv + " does not hold a bot token"},
		{name: "no token anywhere", wantErr: "no bot token: set " + tokenEnv + "="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &program{getenv: func(k string) string { return map[string]string{tokenEnv: tt.env}[k] }}
			var cfg Config
			cfg.Telegram.TokenFile = tt.tokenFile
			got, err := p.token(cfg)
			if tt.wantErr == "" {
				if err != nil || got != tt.want {
					t.Fatalf("token %q, error %v; want %q", got, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("token %q, want an error with %q", got, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q, want it to hold %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q shows the token", err)
			}
			if exitCode(err) != 2 {
				t.Errorf("exit code %d, want 2", exitCode(err))
			}
		})
	}
}
