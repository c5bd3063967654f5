package match

import (
	"cmp"
	"log/slog"
	"slices"
	"strings"
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

// Row is a subscription as a Matcher is built from it: it follows either a catalog topic
// (Topic, a name or key) or its own query (Query).
type Row struct {
	SubscriptionID int64
	ChatID         int64
	ThreadID       int
	Topic, Query   string
}

// Matcher is an immutable snapshot of every active chat's subscriptions, compiled once: each
// catalog topic and each distinct query is one unit of an inverted index (see match_index.go),
// evaluated once per entry whatever the number of chats that follow it, and only when the
// entry has a term the unit is indexed under. It is safe for concurrent use.
type Matcher struct {
	index  *matchIndex
	labels []string     // unit → the topic's name or the query as typed
	topics []bool       // unit → it is a catalog topic
	within []string     // unit → SourceKey of the source its query is limited to, "" for any
	parsed int          // how many query texts the build parsed (the others were reused)
	subs   []subscriber // ordered as Match returns hits: by chat, thread, subscription
	starts []uint32     // unit u's subscribers are subs[at[starts[u]:starts[u+1]]]
	at     []uint32
}

// Size returns how many units (catalog topics and distinct queries) and subscriptions the
// matcher holds.
func (m *Matcher) Size() (units, subscriptions int) { return len(m.labels), len(m.subs) }

// Match returns every subscription the document matches, ordered by chat, thread and
// subscription.
func (m *Matcher) Match(d *Document) []Hit {
	x := m.index.prepare(d)
	return m.hits(m.positions(m.matchedUnits(x, d)))
}

// MatchWithTerms is Match with, for each hit, the distinct document terms that made its
// subscription match, sorted: terms[i] belongs to hits[i], and is what ParseQuery(label)'s
// MatchedTerms (a catalog topic's, for a topic) returns for the document. The terms are worked
// out once per distinct query or topic that matched, and hits of the same one share the same
// slice: callers must not modify it.
func (m *Matcher) MatchWithTerms(d *Document) (hits []Hit, terms [][]string) {
	x := m.index.prepare(d)
	units := m.matchedUnits(x, d)
	positions := m.positions(units)
	if len(positions) == 0 {
		return nil, nil
	}
	unitTerms := make(map[uint32][]string, len(units))
	for _, u := range units {
		unitTerms[u] = m.index.matchedTerms(u, x)
	}
	hits = m.hits(positions)
	terms = make([][]string, len(positions))
	for i, p := range positions {
		terms[i] = unitTerms[m.subs[p].unit]
	}
	return hits, terms
}

// matchedUnits returns the units x (the prepared d) matches, in no particular order.
func (m *Matcher) matchedUnits(x *indexedDoc, d *Document) []uint32 {
	units, n := m.index.candidates(nil, x), 0
	for _, u := range units {
		if m.inSource(u, d) && m.index.match(u, x) {
			units[n] = u
			n++
		}
	}
	return units[:n]
}

// inSource reports whether d is of the source unit u is limited to, if any.
func (m *Matcher) inSource(u uint32, d *Document) bool {
	return m.within[u] == "" || m.within[u] == d.source
}

// querySourceKey returns the SourceKey of the source a valid query is limited to, "" for
// any; only a query with "in:" in it is lexed.
func querySourceKey(text string) string {
	if !strings.Contains(strings.ToLower(text), inField) {
		return ""
	}
	toks, e := lexQuery([]rune(text))
	if e != nil {
		return ""
	}
	_, source, _ := takeSource(toks)
	return SourceKey(source)
}

// positions returns the positions in m.subs of the subscriptions to units, ascending.
func (m *Matcher) positions(units []uint32) []uint32 {
	count := 0
	for _, u := range units {
		count += int(m.starts[u+1] - m.starts[u])
	}
	matched := make([]uint32, 0, count)
	for _, u := range units {
		matched = append(matched, m.at[m.starts[u]:m.starts[u+1]]...)
	}
	slices.Sort(matched)
	return matched
}

// matchScan is Match without the index and without sharing work between subscriptions: each
// subscription's query is verified on its own. Tests and benchmarks compare the two.
func (m *Matcher) matchScan(d *Document) []Hit {
	x := m.index.prepare(d)
	var matched []uint32
	for i, s := range m.subs {
		if m.inSource(s.unit, d) && m.index.match(s.unit, x) {
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

// NewMatcher compiles the subscriptions. Subscriptions to a topic not in the catalog, or
// whose query does not parse, are skipped and logged. Each distinct query text is compiled
// once: copied from prev (the matcher being replaced; nil for none) when it has it, parsed
// otherwise, spread over GOMAXPROCS goroutines (see compileQueries), which return before
// NewMatcher does. Units are numbered: the valid query texts in the order rows first have
// them, then the topics in the same way.
func NewMatcher(catalog *Catalog, rows []Row, prev *Matcher, log *slog.Logger) *Matcher {
	var prevUnit map[string]uint32 // query text → unit of prev
	var prevIndex *matchIndex
	if prev != nil {
		prevUnit, prevIndex = make(map[string]uint32, len(prev.labels)), prev.index
		for u, label := range prev.labels {
			if !prev.topics[u] {
				prevUnit[label] = uint32(u)
			}
		}
	}
	distinct := make(map[string]int32, len(rows)) // query text → index in srcs
	rowSrc := make([]int32, len(rows))            // row → index in srcs, -1 for a topic
	var srcs []querySource
	parsed := 0
	for i, r := range rows {
		if r.Topic != "" {
			rowSrc[i] = -1
			continue
		}
		k, ok := distinct[r.Query]
		if !ok {
			k = int32(len(srcs))
			distinct[r.Query] = k
			src := querySource{text: r.Query, prev: -1}
			if u, ok := prevUnit[r.Query]; ok {
				src.prev = int32(u)
			} else {
				parsed++
			}
			srcs = append(srcs, src)
		}
		rowSrc[i] = k
	}
	distinct, prevUnit = nil, nil // garbage from here on
	b, errs := compileQueries(srcs, prevIndex)

	m := &Matcher{parsed: parsed}
	srcUnit := make([]int32, len(srcs)) // index in srcs → unit, -1 when it does not parse
	m.labels = make([]string, 0, len(srcs)+len(catalog.topics))
	for i, src := range srcs {
		srcUnit[i] = -1
		if errs[i] == nil {
			srcUnit[i] = int32(len(m.labels))
			m.labels = append(m.labels, src.text)
		}
	}
	m.topics = make([]bool, len(m.labels), cap(m.labels))
	m.within = make([]string, len(m.labels), cap(m.labels))
	for u, label := range m.labels {
		m.within[u] = querySourceKey(label)
	}
	topicUnit := map[string]uint32{}
	m.subs = make([]subscriber, 0, len(rows))
	for i, r := range rows {
		var u uint32
		if k := rowSrc[i]; k >= 0 {
			if srcUnit[k] < 0 {
				log.Warn("subscription with invalid query skipped", "subscription_id", r.SubscriptionID, "error", errs[k])
				continue
			}
			u = uint32(srcUnit[k])
		} else {
			var ok bool
			if u, ok = topicUnit[r.Topic]; !ok {
				ti, known := catalog.byKey[r.Topic]
				if !known {
					log.Warn("subscription to unknown topic skipped", "subscription_id", r.SubscriptionID, "topic", r.Topic)
					continue
				}
				u = b.addTopic(catalog.compiled[ti])
				m.labels = append(m.labels, catalog.topics[ti].Name)
				m.topics = append(m.topics, true)
				m.within = append(m.within, "")
				topicUnit[r.Topic] = u
			}
		}
		m.subs = append(m.subs, subscriber{subscriptionID: r.SubscriptionID, chatID: r.ChatID, threadID: int32(r.ThreadID), unit: u})
	}
	m.index = b.build()
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
