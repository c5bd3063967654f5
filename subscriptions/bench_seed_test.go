package subscriptions

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"livealert/sources"
	"livealert/subscriptions/match"
)

// The benchmarks that need a big database (the digest tick, the matcher rebuild) seed it with
// multi-row INSERTs on either driver: the store's API would take minutes.

// benchTopics is a catalog of n topics, "Topic 00"…, whose keywords are kwaa, kwab….
func benchTopics(n int) []match.Topic {
	topics := make([]match.Topic, n)
	for i := range topics {
		topics[i] = match.Topic{Name: fmt.Sprintf("Topic %02d", i), Keywords: []string{fmt.Sprintf("kw%c%c", 'a'+i/26, 'a'+i%26)}}
	}
	return topics
}

// openBenchStore opens a store on a fresh database of the driver the tests run on, with topics.
func openBenchStore(b *testing.B, topics []match.Topic, now func() time.Time) *Store {
	b.Helper()
	opts := testDatabase(b)
	opts.Topics, opts.Now = topics, now
	s, err := Open(context.Background(), opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// seedRows inserts n rows into, "table (column, …)", built by row(i) for i in [0, n), in one
// transaction; types are the columns' SQL types.
func seedRows(b *testing.B, s *Store, into string, n int, types []string, row func(i int) []any) {
	b.Helper()
	ctx := context.Background()
	err := s.write(ctx, func(tx *sql.Tx) error {
		batch := newRowBatch(tx, s.dialect, "INSERT INTO "+into+" VALUES ", "", "", types...)
		defer batch.close()
		for i := range n {
			if err := batch.add(ctx, row(i)...); err != nil {
				return err
			}
		}
		return batch.flush(ctx)
	})
	if err != nil {
		b.Fatalf("seed %s: %v", into, err)
	}
}

// seedDigestDay records a first poll of entries entries, entry i about topic i%len(topics)
// (its url is the topic's key, for joining), published through 2024-01-05.
func seedDigestDay(b *testing.B, s *Store, topics []match.Topic, entries int) {
	b.Helper()
	day := time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC)
	es := make([]sources.Entry, entries)
	for i := range es {
		topic := topics[i%len(topics)]
		title := fmt.Sprintf("Entry %03d of the day about %s and what followed", i, topic.Keywords[0])
		es[i] = sources.Entry{Source: "wire", ID: fmt.Sprint(i), Title: title, URL: match.TopicKey(topic.Name),
			Published: day.Add(time.Duration(i) * 7 * time.Minute), Hash: sources.ContentHash(title, nil)}
	}
	if _, err := s.Ingest(context.Background(), "wire", es, IngestOptions{}); err != nil { // recorded, nobody alerted
		b.Fatal(err)
	}
}
