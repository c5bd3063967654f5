package match

import (
	"errors"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
)

func TestRegexQueryMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, query, title, body string
		want                     bool
		terms                    []string // MatchedTerms when it matches
	}{
		{"brief example", `re:/shell(ing|ed)\s+\w+/`, "Overnight shelling hits Kherson", "", true, []string{"hit", "shelling"}},
		{"past tense", `re:/shell(ing|ed)\s+\w+/`, "", "Russian forces shelled Nikopol.", true, []string{"nikopol", "shelled"}},
		{"case folded", `re:/Shell(ing|ed)\s+\w+/`, "", "SHELLING OF ODESA", true, []string{"of", "shelling"}},
		{"needs the word after", `re:/shell(ing|ed)\s+\w+/`, "Shelling.", "", false, nil},
		{"other word", `re:/shell(ing|ed)\s+\w+/`, "Shells found near a school", "", false, nil},
		{"accents folded", `re:/türkiye\s+says/`, "Turkiye says talks resume", "", true, []string{"say", "turkiye"}},
		{"accents in text folded", `re:/turkiye/`, "Türkiye hosts talks", "", true, []string{"turkiye"}},
		{"paragraph lines", `re:/^ceasefire/`, "Talks", "Nothing yet\nCeasefire agreed", false, nil},
		{"multiline flag", `re:/(?m)^ceasefire/`, "Talks", "Nothing yet\nCeasefire agreed", true, []string{"ceasefire"}},
		{"cyrillic", `re:/обстр[іе]л/`, "Обстріл Харкова", "", true, []string{"обстріл"}},
		{"digits", `re:/\b\d{2,3}\s+drones\b/`, "Russia launched 129 drones overnight", "", true, []string{"129", "drone"}},
		{"no digits", `re:/\b\d{2,3}\s+drones\b/`, "Russia launched drones overnight", "", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q, err := ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			d := NewDocument(tt.title, strings.Split(tt.body, "\n"))
			if got := q.Match(d); got != tt.want {
				t.Fatalf("%s on %q / %q: %v, want %v", tt.query, tt.title, tt.body, got, tt.want)
			}
			if got := q.MatchedTerms(d); !slices.Equal(got, tt.terms) {
				t.Fatalf("MatchedTerms = %q, want %q", got, tt.terms)
			}
			if s := q.String(); s != strings.TrimSpace(tt.query) {
				t.Fatalf("String = %q, want the query as typed", s)
			}
		})
	}
}

func TestRegexQueryErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, query, code string
		pos               int
		detail            string
	}{
		{"no closing slash", `re:/shell(ing|ed)`, "regex_slash", 17, ""},
		{"invalid", `re:/shell(ing|ed/`, "regex_invalid", 4, "missing closing )"},
		{"unsupported perl syntax", `re:/shell(?!ing)/`, "regex_invalid", 4, "invalid or unsupported Perl syntax"},
		{"back reference", `re:/(a)\1/`, "regex_invalid", 4, "invalid escape sequence"},
		{"too long", "re:/" + strings.Repeat("a", maxRegexLen+1) + "/", "regex_too_long", 4 + maxRegexLen, ""},
		{"too complex", `re:/(\w{1,50}\s){1,20}x/`, "regex_complex", 4, ""},
		{"matches everything", `re:/x*/`, "regex_everything", 4, ""},
		{"empty", `re://`, "regex_everything", 4, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseQuery(tt.query)
			var qe *QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("%q: error %v, want a *QueryError", tt.query, err)
			}
			if qe.Code() != tt.code || qe.Pos != tt.pos || qe.Detail != tt.detail {
				t.Fatalf("%q: code %q at %d (%q), want %q at %d (%q)", tt.query, qe.Code(), qe.Pos, qe.Detail, tt.code, tt.pos, tt.detail)
			}
			if _, err := ParseQuery(qe.Example); err != nil {
				t.Fatalf("example %q does not parse: %v", qe.Example, err)
			}
		})
	}
}

// A pattern of maxRegexLen bytes is accepted although the query is longer than maxQueryLen.
func TestRegexQueryLongestPattern(t *testing.T) {
	t.Parallel()
	q := "re:/" + strings.Repeat("a", maxRegexLen-len("kyiv")) + "kyiv/"
	if _, err := ParseQuery(q); err != nil {
		t.Fatalf("a %d-byte pattern: %v", maxRegexLen, err)
	}
}

func TestRegexRequiredWord(t *testing.T) {
	t.Parallel()
	tests := []struct{ query, want string }{
		{`re:/shell(ing|ed)\s+\w+/`, ""},          // "shell" is only the start of a word
		{`re:/\bshelling\b/`, "shelling"},         // bounded by \b
		{`re:/kharkiv\s+region/`, ""},             // neither bounded on its outer side
		{`re:/\bkharkiv\s+region\b/`, "kharkiv"},  // both whole; the longer wins
		{`re:/drones? over kyiv/`, "over"},        // "drone" then "s?": not whole; "over" is
		{`re:/(?i)Drones\b/`, ""},                 // nothing before it
		{`re:/^Drones\b/`, "drone"},               // stemmed as terms are
		{`re:/ Türkiye /`, "turkiye"},             // folded, bounded by spaces inside the literal
		{`re:/a|b/`, ""},                          // no sequence
		{`re:/\d+ (drones|missiles)\b/`, ""},      // words only inside an alternation
		{`re:/(kyiv|lviv)\s+oblast\s/`, "oblast"}, // after a class of spaces
	}
	for _, tt := range tests {
		root, _, e := parseQueryTree(tt.query)
		if e != nil {
			t.Fatalf("%q: %v", tt.query, e)
		}
		if root.key != tt.want {
			t.Errorf("%q: required word %q, want %q", tt.query, root.key, tt.want)
		}
	}
}

// The matcher indexes a regex under its required word — a document without that word is not
// even verified — and verifies one without a required word against every document.
func TestMatcherRegexIndex(t *testing.T) {
	t.Parallel()
	rows := []Row{
		{SubscriptionID: 1, ChatID: 10, Query: `re:/\bkharkiv\s+region/`},
		{SubscriptionID: 2, ChatID: 20, Query: `re:/shell(ing|ed)\s+\w+/`},
		{SubscriptionID: 3, ChatID: 30, Query: "drones"},
	}
	m := NewMatcher(emptyCatalog(t), rows, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	unit := func(sub int64) uint32 {
		i := slices.IndexFunc(m.subs, func(s subscriber) bool { return s.subscriptionID == sub })
		return m.subs[i].unit
	}
	if got := m.index.always; !slices.Equal(got, []uint32{unit(2)}) {
		t.Fatalf("units verified always = %v, want [%d]", got, unit(2))
	}
	kharkiv := m.index.ids["kharkiv"]
	if got := m.index.exact[m.index.starts[kharkiv]:m.index.starts[kharkiv+1]]; !slices.Equal(got, []uint32{unit(1)}) {
		t.Fatalf("units under kharkiv = %v, want [%d]", got, unit(1))
	}

	candidates := func(title string) []uint32 {
		c := m.index.candidates(nil, m.index.prepare(NewDocument(title, nil)))
		slices.Sort(c)
		return c
	}
	if got, want := candidates("Drones over Lviv"), []uint32{unit(2), unit(3)}; !slices.Equal(got, sorted(want)) {
		t.Fatalf("candidates without kharkiv = %v, want %v", got, sorted(want))
	}
	if got, want := candidates("Kharkiv region shelled overnight"), []uint32{unit(1), unit(2)}; !slices.Equal(got, sorted(want)) {
		t.Fatalf("candidates with kharkiv = %v, want %v", got, sorted(want))
	}

	d := NewDocument("Kharkiv Region shelled overnight", nil)
	hits := m.Match(d)
	if ids := hitIDs(hits); !slices.Equal(ids, []int64{1, 2}) {
		t.Fatalf("hits = %v, want subscriptions 1 and 2", hits)
	}
	if got := m.matchScan(d); !slices.Equal(got, hits) {
		t.Fatalf("scan = %v, index = %v", got, hits)
	}
	_, terms := m.MatchWithTerms(d)
	if !slices.Equal(terms[0], []string{"kharkiv", "region"}) || !slices.Equal(terms[1], []string{"overnight", "shelled"}) {
		t.Fatalf("terms = %q", terms)
	}
	if hits := m.Match(NewDocument("Kharkiv: the region's power restored", nil)); len(hits) != 0 {
		t.Fatalf("hits = %v, want none", hits)
	}
}

// The regex units of a matcher survive being copied into the next one and the joining of
// builders compiled in parallel.
func TestMatcherRegexRebuild(t *testing.T) {
	t.Parallel()
	var rows []Row
	for i := range 2500 {
		q := "word" + strings.Repeat("x", i%7) + " n" + string(rune('a'+i%26))
		if i%500 == 0 {
			q = `re:/\bkherson\s+` + strings.Repeat("x", i/500) + `/`
		}
		rows = append(rows, Row{SubscriptionID: int64(i + 1), ChatID: int64(i + 1), Query: q})
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	first := NewMatcher(emptyCatalog(t), rows, nil, log)
	second := NewMatcher(emptyCatalog(t), rows, first, log)
	d := NewDocument("Kherson xx attacked", nil)
	for _, m := range []*Matcher{first, second} {
		if ids := hitIDs(m.Match(d)); !slices.Equal(ids, []int64{1, 501, 1001}) {
			t.Fatalf("hits = %v, want 1, 501, 1001", ids)
		}
	}
}

func hitIDs(hits []Hit) []int64 {
	var ids []int64
	for _, h := range hits {
		ids = append(ids, h.SubscriptionID)
	}
	return ids
}

func sorted(s []uint32) []uint32 { slices.Sort(s); return s }

// emptyCatalog returns an empty catalog.
func emptyCatalog(t *testing.T) *Catalog {
	t.Helper()
	c, err := NewCatalog(nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
