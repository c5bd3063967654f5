package bot

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"livealert/sources"
	"livealert/subscriptions"
	"livealert/subscriptions/match"
)

// Digest benchmark size: chats, subscriptions per chat, entries of the day, catalog topics.
const (
	benchChats    = 100_000
	benchSubs     = 3
	benchEntries  = 200
	benchTopics   = 60
	benchZonesLen = 3
)

// openDigestBench builds a store of benchChats chats in three zones, each following benchSubs
// of benchTopics topics, and a day of benchEntries entries, each matching one topic — about
// ten entries per chat's digest. Rows are written with SQL in bulk (the store's API would
// take minutes); the store is then reopened so that its matcher sees them.
func openDigestBench(b *testing.B, clock *settingsClock) (*Bot, *sql.DB) {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "bench.db")
	topics := make([]match.Topic, benchTopics)
	for i := range topics {
		topics[i] = match.Topic{Name: fmt.Sprintf("Topic %02d", i), Keywords: []string{fmt.Sprintf("kw%c%c", 'a'+i/26, 'a'+i%26)}}
	}
	opts := subscriptions.Options{Path: path, Topics: topics, Now: clock.Now}
	store, err := subscriptions.Open(ctx, opts)
	if err != nil {
		b.Fatal(err)
	}
	day := time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC)
	entries := make([]sources.Entry, benchEntries)
	for i := range entries {
		title := fmt.Sprintf("Entry %03d of the day about %s and what followed", i, topics[i%benchTopics].Keywords[0])
		entries[i] = sources.Entry{Source: "wire", ID: fmt.Sprint(i), Title: title, URL: fmt.Sprintf("https://news.example/live/%d", i),
			Published: day.Add(time.Duration(i) * 7 * time.Minute), Hash: sources.ContentHash(title, nil)}
	}
	if _, err := store.Ingest(ctx, "wire", entries, subscriptions.IngestOptions{}); err != nil { // a first poll: recorded, nobody alerted
		b.Fatal(err)
	}
	store.Close()

	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_foreign_keys=on&_synchronous=OFF")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	zones := [benchZonesLen]struct{ name, hhmm string }{{"UTC", "08:00"}, {"Europe/Kyiv", "10:00"}, {"America/New_York", "03:00"}}
	next := time.Date(2024, 1, 6, 8, 0, 0, 0, time.UTC).Unix()
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	chat, _ := tx.Prepare(`INSERT INTO chats (id, type, time_zone, digest_time, next_digest_at, created_at) VALUES (?, 'private', ?, ?, ?, 1)`)
	sub, _ := tx.Prepare(`INSERT INTO subscriptions (chat_id, topic, created_at) VALUES (?, ?, 1)`)
	for c := 1; c <= benchChats; c++ {
		z := zones[c%benchZonesLen]
		if _, err := chat.Exec(c, z.name, z.hhmm, next); err != nil {
			b.Fatal(err)
		}
		for k := range benchSubs {
			if _, err := sub.Exec(c, match.TopicKey(topics[(c*7+k*13)%benchTopics].Name)); err != nil {
				b.Fatal(err)
			}
		}
	}
	_, err = tx.Exec(`
		INSERT INTO matches (chat_id, entry_id, subscription_id, label)
		SELECT s.chat_id, e.id, s.id, 'Topic ' || printf('%02d', CAST(e.entry_key AS INTEGER) % ?)
		FROM entries e JOIN subscriptions s ON s.topic = 'topic-' || printf('%02d', CAST(e.entry_key AS INTEGER) % ?)`, benchTopics, benchTopics)
	if err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	store, err = subscriptions.Open(ctx, opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	bot, err := newBot(Options{Token: "1:bench", APIURL: "http://127.0.0.1:1", Store: store, Now: clock.Now})
	if err != nil {
		b.Fatal(err)
	}
	return bot, db
}

// BenchmarkDigestTick composes, renders and queues the digests of 100k chats with 3
// subscriptions each over a day of 200 entries: one full digest tick, as at 08:00 UTC.
func BenchmarkDigestTick(b *testing.B) {
	clock := &settingsClock{t: time.Date(2024, 1, 6, 7, 0, 0, 0, time.UTC)}
	bot, db := openDigestBench(b, clock)
	ctx := context.Background()
	var matches int
	db.QueryRow(`SELECT COUNT(*) FROM matches`).Scan(&matches)
	b.ReportAllocs()
	b.ResetTimer()
	var total, cpu time.Duration
	var peak uint64
	for range b.N {
		b.StopTimer()
		_, err := db.Exec(`DELETE FROM digest_runs; DELETE FROM outbox; UPDATE chats SET digest_cursor = 0, next_digest_at = ?`,
			time.Date(2024, 1, 6, 8, 0, 0, 0, time.UTC).Unix())
		if err != nil {
			b.Fatal(err)
		}
		clock.t = time.Date(2024, 1, 6, 8, 0, 5, 0, time.UTC)
		runtime.GC()
		b.StartTimer()
		start, startCPU := time.Now(), processCPU(b)
		bot.digestTick(ctx)
		total += time.Since(start)
		cpu += processCPU(b) - startCPU
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
	}
	b.StopTimer()
	var queued, runs int
	db.QueryRow(`SELECT COUNT(*) FROM outbox WHERE kind = 'digest'`).Scan(&queued)
	db.QueryRow(`SELECT COUNT(*) FROM digest_runs`).Scan(&runs)
	if runs != benchChats {
		b.Fatalf("%d digest runs recorded, want %d", runs, benchChats)
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "s/tick")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/tick") // all threads; wall time depends on the machine's load
	b.ReportMetric(float64(queued), "messages/tick")
	b.ReportMetric(float64(matches)/benchChats, "matches/chat")
	b.ReportMetric(float64(peak)/(1<<20), "MB-heap-inuse")
}

// processCPU is the CPU time the process has used, user and system, over all threads.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
