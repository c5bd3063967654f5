package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the database/sql driver "pgx"

	"livealert/bot"
	"livealert/bot/fakebotapi"
	"livealert/subscriptions"
	"livealert/subscriptions/storetest"
)

// takeoverBound is how soon a standby must lead once the leader died: the lease's time to live
// and a standby's retry period, with a margin for the new leader's start.
const takeoverBound = 15 * time.Second

// TestFailover runs two instances of the real binary on one database (storage.shared: one
// SQLite file, or one PostgreSQL database, skipped loudly without LIVEALERT_TEST_POSTGRES) against a
// fake Bot API that enforces Telegram's limits, fans one entry out to 1,000 chats as a paid
// broadcast, and SIGKILLs the leader mid-way twice: the first leader, then — the killed one
// restarted as a standby — the instance that took over. Every chat gets the alert, with no more
// duplicates than the sends in flight at each kill; each takeover comes within takeoverBound of
// the kill; the two instances never long-poll at once (no 409 Conflict).
func TestFailover(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		driver string
		// db prepares a database in dir with chats (see seedChats), and returns the storage
		// section of the configuration and a wait for its queue to drain (see waitQueueEmpty).
		db func(t *testing.T, dir string, chats int) (storage string, drained func(context.Context))
	}{
		{"sqlite", func(t *testing.T, dir string, chats int) (string, func(context.Context)) {
			path := filepath.Join(dir, "livealert.db")
			seedChats(t, path, chats)
			return "path: " + path, func(ctx context.Context) { waitQueueEmpty(t, ctx, path) }
		}},
		{"postgres", func(t *testing.T, dir string, chats int) (string, func(context.Context)) {
			dsn := storetest.PostgresDSN(t)
			store, err := subscriptions.Open(context.Background(), subscriptions.Options{Driver: subscriptions.DriverPostgres, DSN: dsn})
			if err != nil {
				t.Fatal(err)
			}
			store.Close()
			db, err := sql.Open("pgx", dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			seedRows(t, db, "$1", chats)
			return "driver: postgres\n  dsn: " + dsn, func(ctx context.Context) { waitQueueEmptyDB(t, ctx, db) }
		}},
	} {
		t.Run(c.driver, func(t *testing.T) {
			t.Parallel()
			testFailover(t, c.db)
		})
	}
}

func testFailover(t *testing.T, db func(t *testing.T, dir string, chats int) (string, func(context.Context))) {
	const (
		chats = 1000
		kills = 2
	)
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	api := fakebotapi.New(fakebotapi.Options{EnforceLimits: true})
	t.Cleanup(api.Close)
	storage, drained := db(t, dir, chats)

	feed := filepath.Join(dir, "feed.xml")
	item := func(guid, title string) string {
		return fmt.Sprintf(`<item><title>%s</title><link>https://news.example/%s</link><guid>%s</guid>`+
			`<pubDate>Tue, 14 May 2024 15:42:00 GMT</pubDate></item>`, title, guid, guid)
	}
	writeFeed := func(items ...string) {
		t.Helper()
		text := `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Harbour Wire</title><link>https://news.example/</link>`
		for _, it := range items {
			text += "\n" + it
		}
		writeFile(t, feed, text+"\n</channel></rss>")
	}
	calm := item("ferry-1", "Ferry timetable changes for the summer")
	writeFeed(calm) // news for nobody until both instances run
	config := filepath.Join(dir, "config.yaml")
	// A paid broadcast at 100 a second: under the fake's 1000 a second for paid sends, and slow
	// enough that each leader is killed mid-way.
	writeFile(t, config, fmt.Sprintf(`
telegram:
  api_url: %s
  rate: 100
  paid_broadcast: true
storage:
  %s
  shared: true
sources:
  - name: wire
    url: %s
    format: feed
    poll_interval: 1s
topics:
  - name: Storms
    keywords: [storm]
log:
  level: info
`, api.URL(), storage, feed))

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	start := func(name string, wait string) *process {
		t.Helper()
		p := startBinary(t, ctx, bin, config, api.Token())
		if _, err := p.waitLog(ctx, wait, 1); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, p.log())
		}
		return p
	}
	leader := start("first instance", "became leader")
	standby := start("second instance", "msg=standby")
	writeFeed(item("storm-1", "Storm surge floods the harbour road"), calm)

	for i := range kills {
		target := (i + 1) * chats / (kills + 1)
		if err := api.WaitCalls(ctx, "sendMessage", target); err != nil {
			t.Fatalf("kill %d: %d messages sent, waiting for %d: %v\n%s", i+1, api.Calls("sendMessage"), target, err, leader.log())
		}
		leader.kill()
		killed := time.Now()
		sent := api.Calls("sendMessage")
		if sent >= chats {
			t.Fatalf("kill %d: the leader had sent all %d messages: not killed mid-way", i+1, sent)
		}
		took, err := standby.waitLog(ctx, "became leader", 1)
		if err != nil {
			t.Fatalf("kill %d: the standby never led: %v\n%s", i+1, err, standby.log())
		}
		if err := api.WaitCalls(ctx, "sendMessage", sent+1); err != nil {
			t.Fatalf("kill %d: the new leader never sent: %v\n%s", i+1, err, standby.log())
		}
		firstSend := time.Since(killed)
		t.Logf("kill %d after %d sends: the standby led %s after the kill, and sent %s after it",
			i+1, sent, took.Sub(killed).Round(time.Millisecond), firstSend.Round(time.Millisecond))
		if d := took.Sub(killed); d > takeoverBound {
			t.Errorf("kill %d: takeover %s after the kill, more than %s", i+1, d, takeoverBound)
		}
		// The killed instance comes back, as systemd or compose would restart it, as the standby.
		leader, standby = standby, start(fmt.Sprintf("instance restarted after kill %d", i+1), "msg=standby")
	}

	if err := api.WaitCalls(ctx, "sendMessage", chats); err != nil {
		t.Fatalf("only %d messages sent: %v\n%s", api.Calls("sendMessage"), err, leader.log())
	}
	drained(ctx)
	leader.kill()
	standby.kill()

	duplicates := countDuplicates(t, api, chats)
	bound := kills * bot.DefaultPaidSenders
	t.Logf("%d chats alerted, %d duplicates over %d kills (bound %d), %d 429s", chats, duplicates, kills, bound, api.TooManyRequestsServed())
	if duplicates > bound {
		t.Errorf("%d duplicates, more than the %d sends in flight over %d kills", duplicates, bound, kills)
	}
	if n := api.ConflictsServed(); n != 0 {
		t.Errorf("%d long polls ended in 409 Conflict: two instances polled at once", n)
	}
}
