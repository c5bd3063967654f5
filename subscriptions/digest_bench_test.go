package subscriptions

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"livealert/subscriptions/match"
)

// BenchmarkDigestTickStore is the store's part of one digest tick, as the bot's digest tick
// drives it (bot.BenchmarkDigestTick, on SQLite, adds rendering): 100k chats in three zones,
// all due at 08:00 UTC, each following 3 of 60 topics over a day of 200 entries (about ten
// entries a digest), read 500 chats at a time (DueDigestsAfter, DigestItemsOf) and recorded
// (RecordDigests) with a one-line message each. Run with LIVEALERT_TEST_DRIVER=postgres for
// PostgreSQL.
func BenchmarkDigestTickStore(b *testing.B) {
	const chats, subsPerChat, entries, batch = 100_000, 3, 200, 500
	topics := benchTopics(60)
	clock := &testClock{t: time.Date(2024, 1, 6, 7, 0, 0, 0, time.UTC)}
	s := openBenchStore(b, topics, clock.Now)
	ctx := context.Background()
	seedDigestDay(b, s, topics, entries)
	due := time.Date(2024, 1, 6, 8, 0, 0, 0, time.UTC)
	zones := [3]struct{ name, hhmm string }{{"UTC", "08:00"}, {"Europe/Kyiv", "10:00"}, {"America/New_York", "03:00"}}
	seedRows(b, s, "chats (id, type, time_zone, digest_time, next_digest_at, created_at)", chats,
		[]string{"BIGINT", "TEXT", "TEXT", "TEXT", "BIGINT", "BIGINT"}, func(i int) []any {
			z := zones[(i+1)%len(zones)]
			return []any{i + 1, "private", z.name, z.hhmm, due.Unix(), 1}
		})
	seedRows(b, s, "subscriptions (chat_id, topic, created_at)", chats*subsPerChat,
		[]string{"BIGINT", "TEXT", "BIGINT"}, func(i int) []any {
			c, k := i/subsPerChat+1, i%subsPerChat
			return []any{c, match.TopicKey(topics[(c*7+k*13)%len(topics)].Name), 1}
		})
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO matches (chat_id, entry_id, subscription_id, label)
			SELECT s.chat_id, e.id, s.id, s.topic FROM entries e JOIN subscriptions s ON s.topic = e.url`)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		clock.Set(due.Add(-time.Hour))
		err := s.write(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `DELETE FROM digest_runs`); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM outbox`); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `
				UPDATE chats SET digest_cursor = 0, next_digest_at = ?, last_digest_date = '', last_digest_at = 0`, due.Unix())
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		clock.Set(due.Add(30 * time.Second))
		b.StartTimer()
		queued := 0
		last := DueDigest{}
		for {
			dues, err := s.DueDigestsAfter(ctx, clock.Now(), last, batch)
			if err != nil {
				b.Fatal(err)
			}
			if len(dues) == 0 {
				break
			}
			items, cursor, err := s.DigestItemsOf(ctx, dues)
			if err != nil {
				b.Fatal(err)
			}
			runs := make([]DigestRun, len(dues))
			for i, d := range dues {
				runs[i] = DigestRun{Due: d, Messages: []string{fmt.Sprintf("%d entries", len(items[i]))},
					Entries: len(items[i]), Cursor: max(cursor, d.Cursor)}
			}
			q, err := s.RecordDigests(ctx, runs)
			if err != nil {
				b.Fatal(err)
			}
			for _, ok := range q {
				if ok {
					queued++
				}
			}
			last = dues[len(dues)-1]
		}
		if queued != chats {
			b.Fatalf("%d digests queued, want %d", queued, chats)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/tick")
	b.ReportMetric(float64(chats*b.N)/b.Elapsed().Seconds(), "chats/s")
}
