package subscriptions

import (
	"context"
	"fmt"
	"sort"
)

// Hit is one subscription that matched an entry.
type Hit struct {
	SubscriptionID int64
	ChatID         int64
	ThreadID       int
	// Label is what matched, as shown to the chat: the topic's name or the query as typed.
	Label string
}

type subscriber struct {
	subscriptionID int64
	chatID         int64
	threadID       int
}

type querySubscribers struct {
	label       string
	query       *Query
	subscribers []subscriber
}

// Matcher is an immutable snapshot of every active chat's subscriptions, compiled: a catalog
// topic is evaluated once per entry whatever the number of its followers, and so is a query
// that several chats typed alike.
type Matcher struct {
	catalog *Catalog
	topics  [][]subscriber // by catalog index
	queries []querySubscribers
}

// Match returns every subscription the document matches, ordered by chat, thread and label.
func (m *Matcher) Match(d *Document) []Hit {
	var hits []Hit
	for i, subs := range m.topics {
		if len(subs) == 0 || !m.catalog.compiled[i].Match(d) {
			continue
		}
		for _, s := range subs {
			hits = append(hits, Hit{SubscriptionID: s.subscriptionID, ChatID: s.chatID, ThreadID: s.threadID, Label: m.catalog.topics[i].Name})
		}
	}
	for _, q := range m.queries {
		if !q.query.Match(d) {
			continue
		}
		for _, s := range q.subscribers {
			hits = append(hits, Hit{SubscriptionID: s.subscriptionID, ChatID: s.chatID, ThreadID: s.threadID, Label: q.label})
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.ChatID != b.ChatID {
			return a.ChatID < b.ChatID
		}
		if a.ThreadID != b.ThreadID {
			return a.ThreadID < b.ThreadID
		}
		return a.SubscriptionID < b.SubscriptionID
	})
	return hits
}

// Matcher returns the matcher of the subscriptions as they were after the last change.
func (s *Store) Matcher() *Matcher { return s.matcher.Load() }

// rebuildMatcher compiles the subscriptions of every active chat and swaps the new matcher in.
// Subscriptions to a topic no longer in the catalog, or whose query no longer parses, are
// skipped and logged.
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
	m := &Matcher{catalog: s.catalog, topics: make([][]subscriber, len(s.catalog.topics))}
	byQuery := map[string]int{}
	for rows.Next() {
		var sub subscriber
		var topic, query string
		if err := rows.Scan(&sub.subscriptionID, &sub.chatID, &sub.threadID, &topic, &query); err != nil {
			return fmt.Errorf("subscriptions: load subscriptions: %w", err)
		}
		if topic != "" {
			i, ok := s.catalog.byKey[topic]
			if !ok {
				s.log.Warn("subscription to unknown topic skipped", "subscription_id", sub.subscriptionID, "topic", topic)
				continue
			}
			m.topics[i] = append(m.topics[i], sub)
			continue
		}
		i, ok := byQuery[query]
		if !ok {
			q, err := ParseQuery(query)
			if err != nil {
				s.log.Warn("subscription with invalid query skipped", "subscription_id", sub.subscriptionID, "error", err)
				continue
			}
			i = len(m.queries)
			byQuery[query] = i
			m.queries = append(m.queries, querySubscribers{label: query, query: q})
		}
		m.queries[i].subscribers = append(m.queries[i].subscribers, sub)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("subscriptions: load subscriptions: %w", err)
	}
	s.matcher.Store(m)
	return nil
}
