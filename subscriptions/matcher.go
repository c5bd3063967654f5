package subscriptions

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
)

// Hit is one subscription that matched an entry.
type Hit struct {
	SubscriptionID int64
	ChatID         int64
	ThreadID       int
	// Label is what matched, as shown to the chat: the topic's name or the query as typed.
	Label string
}

// subscriber is one subscription of a unit of the matcher, 24 bytes.
type subscriber struct {
	subscriptionID int64
	chatID         int64
	threadID       int32
}

// subscriptionRow is a subscription as the matcher is built from it.
type subscriptionRow struct {
	subscriber
	topic, query string
}

// Matcher is an immutable snapshot of every active chat's subscriptions, compiled once: each
// catalog topic and each distinct query is one unit of an inverted index (see match_index.go),
// evaluated once per entry whatever the number of chats that follow it, and only when the
// entry has a term the unit is indexed under. It is safe for concurrent use.
type Matcher struct {
	index  *matchIndex
	labels []string     // unit → the topic's name or the query as typed
	starts []uint32     // unit u's subscribers are subs[starts[u]:starts[u+1]]
	subs   []subscriber // grouped by unit
}

// Match returns every subscription the document matches, ordered by chat, thread and
// subscription.
func (m *Matcher) Match(d *Document) []Hit {
	var hits []Hit
	for _, u := range m.index.candidates(nil, d) {
		if !m.index.match(u, d) {
			continue
		}
		hits = m.appendHits(hits, u)
	}
	sortHits(hits)
	return hits
}

// matchScan is Match without the index: every unit is verified. Tests and benchmarks compare
// the two.
func (m *Matcher) matchScan(d *Document) []Hit {
	var hits []Hit
	for u := range m.index.roots {
		if m.index.match(uint32(u), d) {
			hits = m.appendHits(hits, uint32(u))
		}
	}
	sortHits(hits)
	return hits
}

func (m *Matcher) appendHits(hits []Hit, u uint32) []Hit {
	for _, s := range m.subs[m.starts[u]:m.starts[u+1]] {
		hits = append(hits, Hit{SubscriptionID: s.subscriptionID, ChatID: s.chatID, ThreadID: int(s.threadID), Label: m.labels[u]})
	}
	return hits
}

func sortHits(hits []Hit) {
	slices.SortFunc(hits, func(a, b Hit) int {
		switch {
		case a.ChatID != b.ChatID:
			return cmpInt(a.ChatID, b.ChatID)
		case a.ThreadID != b.ThreadID:
			return cmpInt(int64(a.ThreadID), int64(b.ThreadID))
		}
		return cmpInt(a.SubscriptionID, b.SubscriptionID)
	})
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// buildMatcher compiles the subscriptions. Subscriptions to a topic not in the catalog, or
// whose query does not parse, are skipped and logged. Each distinct query text is parsed
// once.
func buildMatcher(catalog *Catalog, rows []subscriptionRow, log *slog.Logger) *Matcher {
	b := newMatchIndexBuilder()
	m := &Matcher{}
	unitOf := map[string]uint32{} // "t:" + topic key or "q:" + query → unit
	units := make([]int32, len(rows))
	var perUnit []uint32
	for i, r := range rows {
		units[i] = -1
		key := "q:" + r.query
		if r.topic != "" {
			key = "t:" + r.topic
		}
		u, ok := unitOf[key]
		if !ok {
			if r.topic != "" {
				ti, ok := catalog.byKey[r.topic]
				if !ok {
					log.Warn("subscription to unknown topic skipped", "subscription_id", r.subscriptionID, "topic", r.topic)
					continue
				}
				u = b.addTopic(catalog.compiled[ti])
				m.labels = append(m.labels, catalog.topics[ti].Name)
			} else {
				q, err := ParseQuery(r.query)
				if err != nil {
					log.Warn("subscription with invalid query skipped", "subscription_id", r.subscriptionID, "error", err)
					continue
				}
				u = b.add(q.root)
				m.labels = append(m.labels, r.query)
			}
			unitOf[key] = u
			perUnit = append(perUnit, 0)
		}
		units[i] = int32(u)
		perUnit[u]++
	}
	m.index = b.build()
	m.starts = make([]uint32, len(perUnit)+1)
	for u, n := range perUnit {
		m.starts[u+1] = m.starts[u] + n
	}
	m.subs = make([]subscriber, m.starts[len(perUnit)])
	fill := slices.Clone(m.starts[:len(perUnit)])
	for i, r := range rows {
		if u := units[i]; u >= 0 {
			m.subs[fill[u]] = r.subscriber
			fill[u]++
		}
	}
	return m
}

// Matcher returns the matcher of the subscriptions as they were after the last change.
func (s *Store) Matcher() *Matcher { return s.matcher.Load() }

// rebuildMatcher compiles the subscriptions of every active chat and swaps the new matcher in;
// matching goes on with the old one until then.
func (s *Store) rebuildMatcher(ctx context.Context) error {
	s.rebuild.Lock()
	defer s.rebuild.Unlock()
	rows, err := s.reader.QueryContext(ctx, `
		SELECT s.id, s.chat_id, s.thread_id, s.topic, s.query
		FROM subscriptions s JOIN chats c ON c.id = s.chat_id
		WHERE c.active = 1
		ORDER BY s.id`)
	if err != nil {
		return fmt.Errorf("subscriptions: load subscriptions: %w", err)
	}
	defer rows.Close()
	var subs []subscriptionRow
	for rows.Next() {
		var r subscriptionRow
		if err := rows.Scan(&r.subscriptionID, &r.chatID, &r.threadID, &r.topic, &r.query); err != nil {
			return fmt.Errorf("subscriptions: load subscriptions: %w", err)
		}
		subs = append(subs, r)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("subscriptions: load subscriptions: %w", err)
	}
	s.matcher.Store(buildMatcher(s.catalog, subs, s.log))
	return nil
}
