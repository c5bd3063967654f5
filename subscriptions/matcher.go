package subscriptions

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"sync"
	"unicode/utf8"
)

// Hit is one subscription that matched an entry.
type Hit struct {
	SubscriptionID int64
	ChatID         int64
	ThreadID       int
	// Label is what matched, as shown to the chat: the topic's name or the query as typed.
	Label string
}

// subscriber is one subscription as the matcher keeps it, 24 bytes.
type subscriber struct {
	subscriptionID int64
	chatID         int64
	threadID       int32
	unit           uint32 // what it follows: a unit of the matcher's index
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
	topics []bool       // unit → it is a catalog topic
	parsed int          // how many query texts the build parsed (the others were reused)
	subs   []subscriber // ordered as Match returns hits: by chat, thread, subscription
	starts []uint32     // unit u's subscribers are subs[at[starts[u]:starts[u+1]]]
	at     []uint32
}

// Match returns every subscription the document matches, ordered by chat, thread and
// subscription.
func (m *Matcher) Match(d *Document) []Hit {
	x := m.index.prepare(d)
	var matched []uint32 // positions in m.subs
	for _, u := range m.index.candidates(nil, x) {
		if m.index.match(u, x) {
			matched = append(matched, m.at[m.starts[u]:m.starts[u+1]]...)
		}
	}
	slices.Sort(matched)
	return m.hits(matched)
}

// matchScan is Match without the index and without sharing work between subscriptions: each
// subscription's query is verified on its own. Tests and benchmarks compare the two.
func (m *Matcher) matchScan(d *Document) []Hit {
	x := m.index.prepare(d)
	var matched []uint32
	for i, s := range m.subs {
		if m.index.match(s.unit, x) {
			matched = append(matched, uint32(i))
		}
	}
	return m.hits(matched)
}

// hits returns the hits of the subscriptions at the positions in m.subs.
func (m *Matcher) hits(positions []uint32) []Hit {
	if len(positions) == 0 {
		return nil
	}
	hits := make([]Hit, len(positions))
	for i, p := range positions {
		s := m.subs[p]
		hits[i] = Hit{SubscriptionID: s.subscriptionID, ChatID: s.chatID, ThreadID: int(s.threadID), Label: m.labels[s.unit]}
	}
	return hits
}

// buildMatcher compiles the subscriptions. Subscriptions to a topic not in the catalog, or
// whose query does not parse, are skipped and logged. Each distinct query text is compiled
// once: copied from prev (the matcher being replaced; nil for none) when it has it, parsed
// otherwise, the parsing spread over GOMAXPROCS goroutines, which return before buildMatcher
// does.
func buildMatcher(catalog *Catalog, rows []subscriptionRow, prev *Matcher, log *slog.Logger) *Matcher {
	prevUnit := map[string]uint32{} // query text → unit of prev
	if prev != nil {
		prevUnit = make(map[string]uint32, len(prev.labels))
		for u, label := range prev.labels {
			if !prev.topics[u] {
				prevUnit[label] = uint32(u)
			}
		}
	}
	distinct := make(map[string]int, len(rows)) // query text → index in texts
	var texts, toParse []string
	var parseIndex []int // index in texts → index in toParse, -1 when reused
	for _, r := range rows {
		if _, ok := distinct[r.query]; !ok && r.topic == "" {
			distinct[r.query] = len(texts)
			texts = append(texts, r.query)
			if _, ok := prevUnit[r.query]; ok {
				parseIndex = append(parseIndex, -1)
			} else {
				parseIndex = append(parseIndex, len(toParse))
				toParse = append(toParse, r.query)
			}
		}
	}
	parsed := parseQueries(toParse)

	b := newMatchIndexBuilder()
	m := &Matcher{}
	topicUnit := map[string]uint32{}
	queryUnit := make([]int32, len(texts)) // index in texts → unit + 1, 0 before it is added
	m.subs = make([]subscriber, 0, len(rows))
	for _, r := range rows {
		var u uint32
		if r.topic != "" {
			var ok bool
			if u, ok = topicUnit[r.topic]; !ok {
				ti, known := catalog.byKey[r.topic]
				if !known {
					log.Warn("subscription to unknown topic skipped", "subscription_id", r.subscriptionID, "topic", r.topic)
					continue
				}
				u = b.addTopic(catalog.compiled[ti])
				m.labels = append(m.labels, catalog.topics[ti].Name)
				m.topics = append(m.topics, true)
				topicUnit[r.topic] = u
			}
		} else {
			i := distinct[r.query]
			if p := parseIndex[i]; p >= 0 && parsed[p].err != nil {
				log.Warn("subscription with invalid query skipped", "subscription_id", r.subscriptionID, "error", parsed[p].err)
				continue
			}
			if queryUnit[i] == 0 {
				if p := parseIndex[i]; p >= 0 {
					u = b.add(parsed[p].root)
				} else {
					u = b.addFrom(prev.index, prevUnit[r.query])
				}
				queryUnit[i] = int32(u) + 1
				m.labels = append(m.labels, r.query)
				m.topics = append(m.topics, false)
			}
			u = uint32(queryUnit[i] - 1)
		}
		s := r.subscriber
		s.unit = u
		m.subs = append(m.subs, s)
	}
	m.index = b.build()
	m.parsed = len(toParse)
	m.topics = slices.Clip(m.topics)
	slices.SortFunc(m.subs, func(a, b subscriber) int {
		switch {
		case a.chatID != b.chatID:
			return cmp.Compare(a.chatID, b.chatID)
		case a.threadID != b.threadID:
			return cmp.Compare(a.threadID, b.threadID)
		}
		return cmp.Compare(a.subscriptionID, b.subscriptionID)
	})
	m.subs = slices.Clip(m.subs)
	m.starts = make([]uint32, len(m.labels)+1)
	for _, s := range m.subs {
		m.starts[s.unit+1]++
	}
	for u := range m.labels {
		m.starts[u+1] += m.starts[u]
	}
	m.at = make([]uint32, len(m.subs))
	fill := slices.Clone(m.starts[:len(m.labels)])
	for i, s := range m.subs {
		m.at[fill[s.unit]] = uint32(i)
		fill[s.unit]++
	}
	return m
}

type parsedQuery struct {
	root *queryNode
	err  error
}

// parseQueries parses the texts in parallel, as ParseQuery would.
func parseQueries(texts []string) []parsedQuery {
	out := make([]parsedQuery, len(texts))
	workers := min(runtime.GOMAXPROCS(0), len(texts)/1000+1)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(texts); i += workers {
				if utf8.RuneCountInString(texts[i]) > MaxQueryLen {
					_, out[i].err = ParseQuery(texts[i])
				} else if root, e := parseQueryTree(texts[i]); e != nil {
					_, out[i].err = ParseQuery(texts[i]) // for the error as ParseQuery words it
				} else {
					out[i].root = root
				}
			}
		})
	}
	wg.Wait()
	return out
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
	s.matcher.Store(buildMatcher(s.catalog, subs, s.matcher.Load(), s.log))
	return nil
}
