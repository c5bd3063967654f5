package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"livealert/bot"
	"livealert/bot/fakebotapi"
	"livealert/subscriptions"
)

// TestCrashFanOut runs the real binary against the fake Bot API, fans one entry out to
// 10,000 chats, kills it with SIGKILL three times while it sends, and checks that after a
// last restart every chat got the alert, with no more duplicates than the sends that can be in
// flight at each kill.
func TestCrashFanOut(t *testing.T) {
	const (
		chats = 10_000
		kills = 3
	)
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	api := fakebotapi.New(fakebotapi.Options{})
	t.Cleanup(api.Close)

	dbPath := filepath.Join(dir, "livealert.db")
	seedChats(t, dbPath, chats)
	feed := filepath.Join(dir, "feed.xml")
	writeFile(t, feed, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Harbour Wire</title><link>https://news.example/</link>
<item><title>Storm surge floods the harbour road</title><link>https://news.example/1</link>
<guid>storm-1</guid><pubDate>Tue, 14 May 2024 15:42:00 GMT</pubDate>
<description>Water reached the ferry terminal.</description></item>
</channel></rss>`)
	config := filepath.Join(dir, "config.yaml")
	writeFile(t, config, fmt.Sprintf(`
telegram:
  api_url: %s
  rate: 1000
  paid_broadcast: true
storage:
  path: %s
sources:
  - name: wire
    url: %s
    format: feed
    poll_interval: 1s
topics:
  - name: Storms
    keywords: [storm]
log:
  level: warn
`, api.URL(), dbPath, feed))

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	for i := range kills {
		p := startBinary(t, ctx, bin, config, api.Token())
		target := (i + 1) * chats / (kills + 1)
		if err := api.WaitCalls(ctx, "sendMessage", target); err != nil {
			t.Fatalf("run %d: %d messages sent, waiting for %d: %v\n%s", i+1, api.Calls("sendMessage"), target, err, p.log())
		}
		p.kill()
		t.Logf("run %d killed after %d sends", i+1, api.Calls("sendMessage"))
	}
	p := startBinary(t, ctx, bin, config, api.Token())
	err := api.WaitFor(ctx, func() bool { return api.Calls("sendMessage") >= chats })
	if err != nil {
		t.Fatalf("only %d messages sent: %v\n%s", api.Calls("sendMessage"), err, p.log())
	}
	// Wait for the queue to drain, then stop the bot and count.
	waitQueueEmpty(t, ctx, dbPath)
	p.kill()

	duplicates := countDuplicates(t, api, chats)
	bound := kills * bot.DefaultPaidSenders // the in-flight bound with paid_broadcast
	t.Logf("%d chats alerted, %d duplicates over %d kills (bound %d)", chats, duplicates, kills, bound)
	if duplicates > bound {
		t.Fatalf("%d duplicates, more than the %d sends in flight over %d kills", duplicates, bound, kills)
	}
}

// buildBinary builds this command into dir.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "livealert")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// seedChats creates the database with n private chats (ids 1..n) following Storms, and the
// source wire already polled once, so that its next entry is news for all of them.
func seedChats(t *testing.T, path string, n int) {
	t.Helper()
	store, err := subscriptions.Open(context.Background(), subscriptions.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	store.Close()
	db, err := sql.Open("sqlite3", "file:"+path+"?_txlock=immediate&_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	seedRows(t, db, "?", n)
}

// seedRows writes the rows of seedChats into db, a migrated store's database whose driver
// spells a placeholder placeholder.
func seedRows(t *testing.T, db *sql.DB, placeholder string, n int) {
	t.Helper()
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for id := 1; id <= n; id++ {
		if _, err := tx.Exec(`INSERT INTO chats (id, type, time_zone, created_at) VALUES (`+placeholder+`, 'private', 'UTC', 1)`, id); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO subscriptions (chat_id, topic, created_at) VALUES (`+placeholder+`, 'storms', 1)`, id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tx.Exec(`INSERT INTO source_state (name, primed) VALUES ('wire', 1)`); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// waitQueueEmpty waits until the database holds no queued message and at least one entry.
func waitQueueEmpty(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_query_only=true&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	waitQueueEmptyDB(t, ctx, db)
}

// waitQueueEmptyDB is waitQueueEmpty on db, a store's database.
func waitQueueEmptyDB(t *testing.T, ctx context.Context, db *sql.DB) {
	t.Helper()
	for {
		var queued, entries int
		err := db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM outbox), (SELECT COUNT(*) FROM entries)`).Scan(&queued, &entries)
		if err == nil && queued == 0 && entries > 0 {
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("queue never drained: %d queued (%v)", queued, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// process is a running livealert binary.
type process struct {
	t       *testing.T
	cmd     *exec.Cmd
	mu      sync.Mutex
	stderr  bytes.Buffer
	written chan struct{} // closed and replaced on every write to stderr
	done    chan struct{}
}

func startBinary(t *testing.T, ctx context.Context, bin, config, token string) *process {
	t.Helper()
	p := &process{t: t, done: make(chan struct{}), written: make(chan struct{})}
	p.cmd = exec.CommandContext(ctx, bin, "-config", config)
	p.cmd.Env = append(os.Environ(), tokenEnv+"="+token)
	p.cmd.Stderr = (*lockedWriter)(p)
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(p.kill)
	return p
}

// kill ends the process with SIGKILL and waits for it.
func (p *process) kill() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Kill()
	<-p.done
}

func (p *process) log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

type lockedWriter process

func (w *lockedWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	close(w.written)
	w.written = make(chan struct{})
	return w.stderr.Write(b)
}

// waitLog waits until the process has logged a line containing text at least n times, and
// returns when the last of them came.
func (p *process) waitLog(ctx context.Context, text string, n int) (time.Time, error) {
	for {
		p.mu.Lock()
		count := bytes.Count(p.stderr.Bytes(), []byte(text))
		written := p.written
		p.mu.Unlock()
		if count >= n {
			return time.Now(), nil
		}
		select {
		case <-written:
		case <-p.done:
			p.mu.Lock()
			count = bytes.Count(p.stderr.Bytes(), []byte(text)) // the last lines, written as it ended
			p.mu.Unlock()
			if count >= n {
				return time.Now(), nil
			}
			return time.Time{}, fmt.Errorf("process ended before logging %q", text)
		case <-ctx.Done():
			return time.Time{}, fmt.Errorf("waiting for %q: %w", text, ctx.Err())
		}
	}
}

// countDuplicates returns the messages beyond one that chats 1..chats got, failing the test
// when one of them got none or a message went to any other chat.
func countDuplicates(t *testing.T, api *fakebotapi.Server, chats int) int {
	t.Helper()
	perChat := map[int64]int{}
	for _, m := range api.AllMessages() {
		perChat[m.ChatID]++
	}
	duplicates := 0
	for id := int64(1); id <= int64(chats); id++ {
		switch n := perChat[id]; {
		case n == 0:
			t.Fatalf("chat %d never got the alert", id)
		case n > 1:
			duplicates += n - 1
		}
	}
	if len(perChat) != chats {
		t.Fatalf("messages went to %d chats, want %d", len(perChat), chats)
	}
	return duplicates
}
