package subscriptions

import (
	"context"
	"fmt"
	"testing"

	"livealert/subscriptions/match"
)

// BenchmarkMatcherRebuild reads 1M subscriptions (250k chats, each following 3 of 60 topics
// and one of 1,000 distinct queries) from the database and builds the matcher, as every
// follow, unfollow and /stop does. Run with LIVEALERT_TEST_DRIVER=postgres for PostgreSQL.
func BenchmarkMatcherRebuild(b *testing.B) {
	const chats, perChat = 250_000, 4
	topics := benchTopics(60)
	s := openBenchStore(b, topics, nil)
	seedRows(b, s, "chats (id, type, time_zone, created_at)", chats,
		[]string{"BIGINT", "TEXT", "TEXT", "BIGINT"}, func(i int) []any { return []any{i + 1, "private", "UTC", 1} })
	seedRows(b, s, "subscriptions (chat_id, topic, query, created_at)", chats*perChat,
		[]string{"BIGINT", "TEXT", "TEXT", "BIGINT"}, func(i int) []any {
			c, k := i/perChat+1, i%perChat
			if k == perChat-1 {
				return []any{c, "", fmt.Sprintf(`kw%c%c OR "word %d"`, 'a'+c%26, 'a'+c/26%26, c%1000), 1}
			}
			return []any{c, match.TopicKey(topics[(c*7+k*13)%len(topics)].Name), "", 1}
		})
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		if err := s.rebuildMatcher(ctx); err != nil {
			b.Fatal(err)
		}
	}
	if _, n := s.Matcher().Size(); n != chats*perChat {
		b.Fatalf("matcher of %d subscriptions, want %d", n, chats*perChat)
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/rebuild")
	b.ReportMetric(float64(chats*perChat*b.N)/b.Elapsed().Seconds(), "subs/s")
}
