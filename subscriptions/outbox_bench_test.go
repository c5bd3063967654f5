package subscriptions

import (
	"context"
	"database/sql"
	"fmt"
	"syscall"
	"testing"
	"time"

	"livealert/sources"
)

// seedFollowers adds n private chats, ids 1..n, each following the Drones topic, in one
// transaction, and rebuilds the matcher.
func seedFollowers(tb testing.TB, s *Store, n int) {
	tb.Helper()
	ctx := context.Background()
	err := s.write(ctx, func(tx *sql.Tx) error {
		for id := 1; id <= n; id++ {
			if _, err := tx.ExecContext(ctx, `INSERT INTO chats (id, type, time_zone, created_at) VALUES (?, 'private', 'UTC', 1)`, id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO subscriptions (chat_id, topic, created_at) VALUES (?, 'drones', 1)`, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if err := s.rebuildMatcher(ctx); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkOutboxEnqueue measures how fast Ingest queues the alerts of one entry that 10,000
// chats follow: rows/s counts outbox rows (each with its match row) committed.
func BenchmarkOutboxEnqueue(b *testing.B) {
	const chats = 10_000
	s, _ := openTestStore(b)
	seedFollowers(b, s, chats)
	if _, err := s.Ingest(context.Background(), "wire", nil, IngestOptions{}); err != nil { // prime the source
		b.Fatal(err)
	}
	cpu := cpuTime()
	b.ResetTimer()
	for i := range b.N {
		res, err := s.Ingest(context.Background(), "wire", []sources.Entry{entry(fmt.Sprint(i), "Drone shot down")}, IngestOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if res.Queued != chats {
			b.Fatalf("%d queued, want %d", res.Queued, chats)
		}
	}
	b.ReportMetric(float64(chats*b.N)/b.Elapsed().Seconds(), "rows/s")
	// CPU per row says what an unshared core allows.
	b.ReportMetric(float64((cpuTime()-cpu).Nanoseconds())/float64(chats*b.N), "cpu-ns/row")
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkChatDeliveries measures reading one chat's due messages with 10,000 queued.
func BenchmarkChatDeliveries(b *testing.B) {
	const chats = 10_000
	s, _ := openTestStore(b)
	seedFollowers(b, s, chats)
	ctx := context.Background()
	if _, err := s.Ingest(ctx, "wire", nil, IngestOptions{}); err != nil {
		b.Fatal(err)
	}
	if _, err := s.Ingest(ctx, "wire", []sources.Entry{entry("1", "Drone shot down")}, IngestOptions{}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		ds, err := s.chatDeliveries(ctx, int64(i%chats+1), 64)
		if err != nil || len(ds) != 1 {
			b.Fatalf("%d deliveries (%v)", len(ds), err)
		}
	}
}
