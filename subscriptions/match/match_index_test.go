package match

import (
	"cmp"
	"io"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// referenceHits matches every subscription on its own with Query.Match and
// CompiledTopic.Match, the way the matcher must agree with.
func referenceHits(t testing.TB, catalog *Catalog, rows []Row, d *Document) []Hit {
	t.Helper()
	var hits []Hit
	for _, r := range rows {
		label, ok := "", false
		if r.Topic != "" {
			i, known := catalog.byKey[r.Topic]
			if !known {
				continue
			}
			label, ok = catalog.topics[i].Name, catalog.compiled[i].Match(d)
		} else {
			q, err := ParseQuery(r.Query)
			if err != nil {
				continue
			}
			label, ok = r.Query, q.Match(d)
		}
		if ok {
			hits = append(hits, Hit{SubscriptionID: r.SubscriptionID, ChatID: r.ChatID, ThreadID: r.ThreadID, Label: label})
		}
	}
	sortHits(hits)
	return hits
}

// checkTerms checks that MatchWithTerms finds the hits Match finds, each with the terms that
// parsing its query (or its catalog topic) on its own says made it match.
func checkTerms(t testing.TB, catalog *Catalog, m *Matcher, d *Document) {
	t.Helper()
	hits, terms := m.MatchWithTerms(d)
	if want := m.Match(d); !slices.Equal(hits, want) || len(terms) != len(hits) {
		t.Fatalf("MatchWithTerms = %v (%d term lists), Match = %v", hits, len(terms), want)
	}
	for i, h := range hits {
		at := slices.IndexFunc(m.subs, func(s subscriber) bool { return s.subscriptionID == h.SubscriptionID })
		var want []string
		if m.topics[m.subs[at].unit] {
			ct, _ := catalog.Compiled(h.Label)
			want = ct.MatchedTerms(d)
		} else if q, err := ParseQuery(h.Label); err == nil {
			want = q.MatchedTerms(d)
		}
		if !slices.Equal(terms[i], want) || len(want) == 0 {
			t.Fatalf("hit %v: terms %q, want %q", h, terms[i], want)
		}
	}
}

var discardLogger = slog.New(slog.NewTextHandler(io.Discard, nil))

// testRows makes one subscription per query, in chats 1, 2, ... and topics after them.
func testRows(queries []string, topics ...string) []Row {
	var rows []Row
	for i, q := range queries {
		rows = append(rows, Row{SubscriptionID: int64(i + 1), ChatID: int64(i%3 + 1), ThreadID: i % 2, Query: q})
	}
	for i, tp := range topics {
		rows = append(rows, Row{SubscriptionID: int64(len(queries) + i + 1), ChatID: 9, Topic: tp})
	}
	return rows
}

func TestMatcherAgreesWithScan(t *testing.T) {
	catalog, err := NewCatalog([]Topic{
		{Name: "Drones", Keywords: []string{"drone", "UAV", "Shahed*", `"unmanned aerial vehicle"`}, Exclude: []string{`"drone show"`}},
		{Name: "Belgorod", Keywords: []string{"Belgorod", "Белгород", "Бєлгород"}},
		{Name: "Not gaza", Keywords: []string{"missile -gaza", "title:rocket*"}, Exclude: []string{"ukraine -russia"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	queries := []string{
		"drones", "Drones", "drones belgorod", `"peace talks" OR ceasefire -gaza`, "dron*", "sh*",
		"title:(drones OR missiles) -korea*", `"air defence" belgorod`, "Shahed-136", "kyiv -(drones | missiles)",
		`title:"peace talk*"`, "(a OR b) (c OR d)", "Белгород", "Türkiye", "x* -y*", "drones",
		"ukraine russia attack", `"shahed 136" OR uav* OR geran`,
	}
	rows := testRows(queries, "drones", "belgorod", "not-gaza", "gone")
	m := NewMatcher(catalog, rows, nil, discardLogger)
	// Rebuilt from a matcher of other subscriptions, reusing what they share.
	prev := NewMatcher(catalog, testRows([]string{"drones", "ukraine russia attack", "unused -query", "Белгород"}, "belgorod"), nil, discardLogger)
	rebuilt := NewMatcher(catalog, rows, prev, discardLogger)
	// 17 distinct texts (x* -y* does not parse), 3 of them in prev.
	if rebuilt.parsed != 17-3 {
		t.Errorf("the rebuild parsed %d queries, want %d: the 3 it shares with the previous matcher are copied", rebuilt.parsed, 17-3)
	}
	docs := map[string]*Document{
		"drones":      NewDocument("Ukraine says Russia attacked with 29 drones overnight", []string{"Shahed-136/131 UAVs were launched", "air defence worked in Belgorod"}),
		"drone show":  NewDocument("A drone show in Kyiv", nil),
		"peace":       NewDocument("Türkiye offers to host peace talks", []string{"a ceasefire in Gaza"}),
		"rockets":     NewDocument("Rockets fired at Ukraine", []string{"no missile"}),
		"belgorod ru": NewDocument("Атака на Белгороде", []string{"в Белгородской области"}),
		"letters":     NewDocument("a c", []string{"b d", "x"}),
		"empty":       NewDocument("", nil),
		"shy":         NewDocument("shy xylophone", []string{"yak"}),
	}
	for name, d := range docs {
		t.Run(name, func(t *testing.T) {
			want := referenceHits(t, catalog, rows, d)
			if got := m.Match(d); !slices.Equal(got, want) {
				t.Errorf("Match = %v\nwant    %v", got, want)
			}
			if got := m.matchScan(d); !slices.Equal(got, want) {
				t.Errorf("matchScan = %v\nwant        %v", got, want)
			}
			if got := rebuilt.Match(d); !slices.Equal(got, want) {
				t.Errorf("Match after a rebuild = %v\nwant                  %v", got, want)
			}
			checkTerms(t, catalog, m, d)
			checkTerms(t, catalog, rebuilt, d)
		})
	}
	if n := len(m.index.roots); n != 16+3 {
		t.Errorf("%d units, want one per valid distinct query text and known topic (%d)", n, 16+3)
	}
}

// TestMatcherJoinsRuns builds matchers from enough distinct queries that compileQueries
// compiles them in several runs, each with its own dictionary, and joins them; some queries
// do not parse, some rows follow topics, and the rebuild copies half the queries from the
// previous matcher.
func TestMatcherJoinsRuns(t *testing.T) {
	catalog, err := NewCatalog([]Topic{{Name: "T", Keywords: []string{"drone", "ab*", `"c d"`}, Exclude: []string{"e"}}})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(4, 4))
	vocab := benchVocabulary(r, nil, 300)
	queries := benchQueries(r, vocab, 5000)
	for i := 0; i < len(queries); i += 97 {
		queries[i] = "-" + vocab[i%len(vocab)] // only an exclusion: does not parse
	}
	rows := testRows(queries, "t", "t", "gone")
	half := testRows(queries[len(queries)/2:], "t")
	var docs []*Document
	for range 20 {
		title := strings.Join([]string{vocab[r.IntN(20)], vocab[r.IntN(len(vocab))]}, " ")
		var body []string
		for range 3 {
			var words []string
			for range 12 {
				words = append(words, vocab[r.IntN(60)])
			}
			body = append(body, strings.Join(words, " "))
		}
		docs = append(docs, NewDocument(title, body))
	}
	m := NewMatcher(catalog, rows, nil, discardLogger)
	rebuilt := NewMatcher(catalog, rows, NewMatcher(catalog, half, nil, discardLogger), discardLogger)
	if rebuilt.parsed >= m.parsed {
		t.Errorf("the rebuild parsed %d queries, the first build %d: want fewer", rebuilt.parsed, m.parsed)
	}
	matched := 0
	for i, d := range docs {
		want := referenceHits(t, catalog, rows, d)
		matched += len(want)
		if got := m.Match(d); !slices.Equal(got, want) {
			t.Errorf("document %d: Match found %d hits, want %d", i, len(got), len(want))
		}
		if got := rebuilt.Match(d); !slices.Equal(got, want) {
			t.Errorf("document %d: Match after a rebuild found %d hits, want %d", i, len(got), len(want))
		}
		checkTerms(t, catalog, rebuilt, d)
	}
	if matched == 0 {
		t.Error("no document matched anything: the test checks nothing")
	}
}

// FuzzMatcher checks that the indexed matcher finds exactly what matching every query on its
// own finds, for any queries and text.
func FuzzMatcher(f *testing.F) {
	for _, s := range [][4]string{
		{"drones", `"peace talks" OR ceasefire -gaza`, "dron* belgorod", "Ukraine says Russia attacked with drones\nin Belgorod, peace talks"},
		{"title:x*", "a -b", "(a OR b*) c", "xa b\nc a"},
		{"Shahed-136", `"shahed 13*"`, "uav | geran -shahed", "Shahed 136 and Geran"},
		{"Белгород", "Бєлгород*", "київ OR киев", "Белгородской области\nу Бєлгороді"},
		{"a b c", "(a OR b) (c OR d) -e", "-x", "a\nb c d"},
	} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	catalog, err := NewCatalog([]Topic{{Name: "T", Keywords: []string{"drone", "ab*", `"c d"`}, Exclude: []string{"e"}}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q1, q2, q3, text string) {
		rows := testRows([]string{q1, q2, q3, q1 + " " + q2, "(" + q2 + ") OR " + q3}, "t")
		prev := NewMatcher(catalog, testRows([]string{q3, q2 + " " + q1, q1}), nil, discardLogger)
		m := NewMatcher(catalog, rows, prev, discardLogger)
		lines := strings.Split(text, "\n")
		d := NewDocument(lines[0], lines[1:])
		want := referenceHits(t, catalog, rows, d)
		if got := m.Match(d); !slices.Equal(got, want) {
			t.Fatalf("queries %q %q %q on %q: Match = %v, want %v", q1, q2, q3, text, got, want)
		}
		checkTerms(t, catalog, m, d)
	})
}

// sortHits orders hits as Matcher.Match does.
func sortHits(hits []Hit) {
	slices.SortFunc(hits, func(a, b Hit) int {
		switch {
		case a.ChatID != b.ChatID:
			return cmp.Compare(a.ChatID, b.ChatID)
		case a.ThreadID != b.ThreadID:
			return cmp.Compare(a.ThreadID, b.ThreadID)
		}
		return cmp.Compare(a.SubscriptionID, b.SubscriptionID)
	})
}
