package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"livealert/bot/fakebotapi"
	"livealert/subscriptions/storetest"
)

// copyTestConfig is the configuration of TestDBCopyRoundTrip's bot, storage aside.
const copyTestConfig = `
telegram:
  api_url: %s
digest:
  time: "08:00"
  time_zone: UTC
sources:
  - name: Harbour Wire
    url: %s
    format: liveblog
    poll_interval: 30ms
topics:
  - name: Storms
    keywords: [storm]
  - name: Ferries
    keywords: [ferry, ferries]
log:
  level: warn
%s`

// TestDBCopyRoundTrip runs livealert on SQLite until its database holds chats, follows, a
// sent alert, a digest run and an alert queued in a chat's quiet hours; stops it, copies the
// database with `livealert db copy` into PostgreSQL (or another SQLite file), and runs
// livealert on the copy: it knows every chat (/list answers as before), sends nothing again —
// not the alert, not the digest — sends the queued alert once when its hour comes, and goes on
// alerting (new rows get ids after the copied ones).
func TestDBCopyRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// target returns -to (empty: $LIVEALERT_DATABASE_URL), the environment of the copy
		// and of the bot on the copy, and the configuration's storage section.
		target func(t *testing.T, dir string) (to string, env map[string]string, storage string)
	}{
		{"postgres", func(t *testing.T, _ string) (string, map[string]string, string) {
			return "", map[string]string{databaseURLEnv: storetest.PostgresDSN(t)}, "storage:\n  driver: postgres\n"
		}},
		{"sqlite", func(t *testing.T, dir string) (string, map[string]string, string) {
			path := filepath.Join(dir, "copy.db")
			return path, map[string]string{}, "storage:\n  path: " + path + "\n"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			testDBCopyRoundTrip(t, tt.target)
		})
	}
}

func testDBCopyRoundTrip(t *testing.T, target func(t *testing.T, dir string) (string, map[string]string, string)) {
	dir := t.TempDir()
	api := fakebotapi.New(fakebotapi.Options{})
	t.Cleanup(api.Close)
	page := func(entries ...string) string {
		return "Friday, January 5, 2024\n" + strings.Join(entries, "\n") + "\n"
	}
	calm := "0700 GMT — Harbour calm this morning\nNothing moves."
	storm := "0735 GMT — Storm hits the harbour\nWaves top the wall."
	ferry := "0805 GMT — Ferry crossings cancelled\nAll of them, until noon."
	blog := newLiveBlog(t, page(calm))
	source := filepath.Join(dir, "live.db")
	sqliteConfig := writeConfig(t, fmt.Sprintf(copyTestConfig, api.URL(), blog.srv.URL+"/live", "storage:\n  path: "+source+"\n"))
	clock := &e2eClock{now: time.Date(2024, 1, 5, 7, 40, 0, 0, time.UTC)}
	wait, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()

	alice := fakebotapi.User{ID: 601, FirstName: "Alice"}
	bob := fakebotapi.User{ID: 602, FirstName: "Bob"}
	say := func(u fakebotapi.User, text string) fakebotapi.Message {
		t.Helper()
		n := len(api.Messages(u.ID)) + 1
		api.SendMessage(fakebotapi.PrivateChat(u), u, text)
		msgs, err := api.WaitMessages(wait, u.ID, n)
		if err != nil {
			t.Fatalf("%s %s: %v", u.FirstName, text, err)
		}
		return msgs[n-1]
	}
	waitFor := func(u fakebotapi.User, n int, what string) fakebotapi.Message {
		t.Helper()
		msgs, err := api.WaitMessages(wait, u.ID, n)
		if err != nil {
			t.Fatalf("%s's %s: %v", u.FirstName, what, err)
		}
		return msgs[n-1]
	}

	first := startLivealert(t, api, sqliteConfig, clock)
	blog.waitPolls(t, 2) // the first poll is recorded, alerting nobody
	say(alice, "/start")
	say(alice, "/follow Storms")
	say(bob, "/start")
	say(bob, "/follow ferry")
	aliceList := say(alice, "/list").Text
	bobList := say(bob, "/list").Text

	blog.set(page(storm, calm))
	if m := waitFor(alice, 4, "alert"); !strings.Contains(m.PlainText, "Storm hits the harbour") {
		t.Fatalf("alice's alert:\n%s", m.PlainText)
	}
	clock.Set(time.Date(2024, 1, 5, 8, 0, 30, 0, time.UTC))
	if m := waitFor(alice, 5, "digest"); !strings.Contains(m.PlainText, "Daily digest") {
		t.Fatalf("alice's digest:\n%s", m.PlainText)
	}
	say(bob, "/quiet 08:00-10:00")
	blog.set(page(ferry, storm, calm))
	blog.waitPolls(t, 2) // the poll that found the ferry entry is handled
	if n := countRows(t, source, "outbox"); n != 1 {
		t.Fatalf("%d messages queued before the copy, want bob's held alert", n)
	}
	first.stop()
	sent := len(api.AllMessages())

	to, env, storage := target(t, dir)
	args := []string{"db", "copy", "-from", source}
	if to != "" {
		args = append(args, "-to", to)
	}
	var stderr bytes.Buffer
	p := &program{stdout: io.Discard, stderr: &stderr, getenv: func(k string) string { return env[k] }, now: time.Now}
	if err := p.run(wait, args); err != nil {
		t.Fatalf("db copy: %v\n%s", err, stderr.String())
	}
	for _, want := range []string{"chats", "subscriptions", "outbox", "digest_runs", "key_values", "copied " + source + " to "} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("db copy's output lacks %q:\n%s", want, stderr.String())
		}
	}

	metrics := freeAddress(t)
	env[tokenEnv], env[httpListenEnv] = api.Token(), metrics
	targetConfig := writeConfig(t, fmt.Sprintf(copyTestConfig, api.URL(), blog.srv.URL+"/live", storage))
	startLivealertWith(t, api, targetConfig, clock, func(p *program) { p.getenv = func(k string) string { return env[k] } })
	if got := say(alice, "/list").Text; got != aliceList {
		t.Errorf("alice's /list on the copy:\n%s\nbefore:\n%s", got, aliceList)
	}
	if got := say(bob, "/list").Text; got != bobList {
		t.Errorf("bob's /list on the copy:\n%s\nbefore:\n%s", got, bobList)
	}
	waitCounter(t, wait, metrics, "livealert_digest_ticks_total", 2)
	blog.waitPolls(t, 2)
	if after := api.AllMessages(); len(after) != sent+2 {
		t.Fatalf("on the copy the bot sent %d messages besides the two /list answers: %+v", len(after)-sent-2, after[sent:])
	}

	// Bob's quiet hours end: his held alert comes, once. A new entry still alerts alice, with
	// ids after the copied ones.
	clock.Set(time.Date(2024, 1, 5, 10, 0, 30, 0, time.UTC))
	if m := waitFor(bob, 6, "held alert"); !strings.Contains(m.PlainText, "Ferry crossings cancelled") {
		t.Fatalf("bob's held alert:\n%s", m.PlainText)
	}
	blog.set(page("1001 GMT — Storm eases at last\nThe wall held.", ferry, storm, calm))
	if m := waitFor(alice, 7, "second alert"); !strings.Contains(m.PlainText, "Storm eases at last") {
		t.Fatalf("alice's second alert:\n%s", m.PlainText)
	}
	blog.waitPolls(t, 2)
	if n := len(api.Messages(bob.ID)); n != 6 {
		t.Fatalf("bob has %d messages, want 6: the held alert went out %d times", n, n-5)
	}
}

// countRows counts the rows of table in the SQLite database at path.
func countRows(t *testing.T, path, table string) int {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_query_only=true&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// waitCounter waits until the counter name served on addr's /metrics reaches n.
func waitCounter(t *testing.T, ctx context.Context, addr, name string, n float64) {
	t.Helper()
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` (\S+)$`)
	for {
		resp, err := http.Get("http://" + addr + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if m := re.FindSubmatch(body); m != nil {
			if v, _ := strconv.ParseFloat(string(m[1]), 64); v >= n {
				return
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s never reached %v:\n%s", name, n, body)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
