package main

import (
	"bytes"
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// While Telegram is unreachable the bot logs its retries, and the request URLs in those
// errors hold the token: none of it may reach the log or the returned error.
func TestTokenNeverLoggedWhileTelegramUnreachable(t *testing.T) {
	// A port that refuses connections: listen, note the address, close.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	apiURL := "http://" + l.Addr().String()
	l.Close()
	dir := t.TempDir()
	config := writeConfig(t, "telegram:\n  api_url: "+apiURL+"\nstorage:\n  path: "+filepath.Join(dir, "state.db")+
		"\nsources:\n  - name: wire\n    url: "+filepath.Join(dir, "live.txt")+"\nlog:\n  level: debug\n")
	const secret = "AAHsecretPART_x-9"
	var stderr bytes.Buffer
	p := &program{stdout: &bytes.Buffer{}, stderr: &stderr, now: time.Now,
		getenv: func(k string) string { return map[string]string{tokenEnv: "123456:" + secret}[k] }}
	ctx, cancel := context.WithTimeout(context.Background(), 2500*time.Millisecond)
	defer cancel()
	runErr := p.run(ctx, []string{"-config", config})
	log := stderr.String()
	if !strings.Contains(log, "telegram unreachable") {
		t.Fatalf("no retry logged (error %v); log:\n%s", runErr, log)
	}
	if strings.Contains(log, secret) {
		t.Errorf("the log shows the token:\n%s", log)
	}
	if runErr != nil && strings.Contains(runErr.Error(), secret) {
		t.Errorf("the error shows the token: %v", runErr)
	}
}
