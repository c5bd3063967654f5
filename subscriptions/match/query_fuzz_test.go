package match

import (
	"errors"
	"log/slog"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseQuery checks the parser on any input: it never panics; an error is a *QueryError
// pointing inside the query with an example that parses; a query's String parses back to the
// same String; matching any document does not panic and honours the Terms contract (a match
// needs one of the terms).
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{
		"drones", `"peace talks" OR ceasefire -Gaza`, "drone (uav OR shahed) NOT gaza",
		"title:(drones | missiles) Belgorod", "Shahed-136", "dron* -\"peace talk*\"", "-gaza",
		"drones OR", "(drones", "drones)", `"drones`, "d*", "dr*ne", "x - y", "title: x", "()",
		"a AND b AND", "NOT NOT x", "--x y", "«мирные переговоры» OR Київ", "北京 OR 東京*",
		"a OR b -c OR d", "(a -b) OR c", "x -(a OR b)", "Title:x or y", strings.Repeat("a ", 101),
		`"` + strings.Repeat("a", maxQueryLen-1), "-" + strings.Repeat("a", maxQueryLen-1),
		`drones in:"TRT World live"`, "in:BBC drones OR uav", "drones in:", `drones in:"x`, "-in:x y",
		"(a in:x) b", "a in:x in:y", "a in:x IN:X", `title:in:"x" a`, "in:(a) b", `a in:""`,
		`re:/shell(ing|ed)\s+\w+/`, `re:/\bkharkiv\s+region\b/`, `re:/(?m)^ceasefire/`, `RE:/Türkiye says/`,
		`re:/shell(ing|ed)`, `re:/(a/`, `re:/x*/`, `re://`, `re:/(\w{1,50}\s){1,20}x/`, `re:/(?!x)/`,
		`re:/\d{2,3}\s+drones\b/`, "re:/" + strings.Repeat("a", maxRegexLen+1) + "/", ` re:/ a b /`,
	} {
		f.Add(s, "Ukraine says Russia attacked with 29 drones overnight; Shahed-136/131 UAVs")
	}
	f.Fuzz(func(t *testing.T, query, text string) {
		q, err := ParseQuery(query)
		if err != nil {
			var qe *QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("error %v is not a *QueryError", err)
			}
			if qe.Pos < 0 || qe.Pos > utf8.RuneCountInString(query) || qe.Msg == "" {
				t.Fatalf("%q: bad error %+v", query, qe)
			}
			if _, err := ParseQuery(qe.Example); err != nil {
				t.Fatalf("%q: example %q does not parse: %v", query, qe.Example, err)
			}
			return
		}
		s := q.String()
		q2, qe := parseQuery(s)
		if qe != nil {
			t.Fatalf("%q understood as %q, which does not parse: %v", query, s, qe)
		}
		if s2 := q2.String(); s2 != s {
			t.Fatalf("%q understood as %q, which is understood as %q", query, s, s2)
		}
		if !sameRendering(q.root, q2.root) {
			t.Fatalf("%q and its String %q render alike but sameRendering says not", query, s)
		}
		for _, a := range q.root.kids {
			for _, b := range q.root.kids {
				if sameRendering(a, b) != (a.String() == b.String()) {
					t.Fatalf("%q: sameRendering(%s, %s) disagrees with String", query, a, b)
				}
			}
		}
		d := NewDocument(text, strings.Split(text, "\n"))
		m := q.Match(d)
		if m != q2.Match(d) {
			t.Fatalf("%q and its String %q disagree on %q", query, s, text)
		}
		if terms := q.sortedTerms(); m && len(terms) > 0 && !hasAnyTerm(d, terms) {
			t.Fatalf("%q matches %q without any of its terms %q", query, text, q.sortedTerms())
		}
		if len(q.sortedTerms()) == 0 && (q.root.op != opRegex || q.root.key != "") {
			t.Fatalf("%q: no terms, yet not a regex without a required word", query)
		}
		if q.root.op == opRegex {
			cat, _ := NewCatalog(nil)
			mt := NewMatcher(cat, []Row{{SubscriptionID: 1, ChatID: 1, Query: query}}, nil, slog.New(slog.DiscardHandler))
			if (len(mt.Match(d)) == 1) != m {
				t.Fatalf("%q: the matcher disagrees with Match on %q", query, text)
			}
		}
		if (q.MatchedTerms(d) != nil) != m {
			t.Fatalf("%q: MatchedTerms disagrees with Match on %q", query, text)
		}
	})
}

// hasAnyTerm reports whether the document has one of terms (a prefix when it ends in *).
func hasAnyTerm(d *Document, terms []string) bool {
	for _, term := range terms {
		for _, p := range []*postingList{&d.title, &d.body} {
			if prefix, ok := strings.CutSuffix(term, "*"); ok {
				if lo, hi := p.prefixRange(prefix); lo < hi {
					return true
				}
			} else if p.find(term) >= 0 {
				return true
			}
		}
	}
	return false
}
