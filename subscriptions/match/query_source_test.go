package match

import (
	"errors"
	"log/slog"
	"slices"
	"testing"
)

func TestParseQuerySource(t *testing.T) {
	t.Parallel()
	tests := []struct {
		query, want, source string
	}{
		{`drones in:"TRT World live"`, `drone in:"TRT World live"`, "TRT World live"},
		{`in:"TRT World live" drones`, `drone in:"TRT World live"`, "TRT World live"},
		{`In:BBC drones OR missiles`, `drone OR missile in:"BBC"`, "BBC"},
		{`drones in:“  TRT   World ”`, `drone in:"TRT World"`, "TRT World"},
		{`drones in:"bbc" in:"BBC"`, `drone in:"BBC"`, "BBC"}, // the same source twice
		{`drones -gaza in:x`, `drone NOT gaza in:"x"`, "x"},
		{`drones`, `drone`, ""},
		{`"in: the news"`, `"in the news"`, ""}, // in a phrase it is words
		{`login:drones`, `"login drone"`, ""},
	}
	for _, tt := range tests {
		q, err := ParseQuery(tt.query)
		if err != nil {
			t.Errorf("ParseQuery(%q): %v", tt.query, err)
			continue
		}
		if q.String() != tt.want || q.Source() != tt.source {
			t.Errorf("ParseQuery(%q) = %q in %q, want %q in %q", tt.query, q.String(), q.Source(), tt.want, tt.source)
		}
		again, err := ParseQuery(q.String())
		if err != nil || again.String() != q.String() || again.Source() != q.Source() {
			t.Errorf("String %q re-parses to %v, %v", q.String(), again, err)
		}
	}
}

func TestParseQuerySourceErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		query string
		kind  queryErrorKind
		pos   int
	}{
		{`drones in: BBC`, errIn, 7},
		{`drones in:`, errIn, 7},
		{`drones in:""`, errIn, 7},
		{`drones in:"  "`, errIn, 7},
		{`drones -in:BBC`, errIn, 8},
		{`drones NOT in:BBC`, errIn, 11},
		{`title:in:BBC drones`, errIn, 6},
		{`(drones in:BBC) OR uav`, errIn, 8},
		{`drones in:BBC in:CNN`, errIn, 14},
		{`drones in:(BBC OR CNN)`, errIn, 7},
		{`drones in:"BBC`, errQuote, 10},
		{`in:BBC`, errEmpty, 0},
	} {
		_, err := ParseQuery(tt.query)
		var qe *QueryError
		if !errors.As(err, &qe) {
			t.Errorf("ParseQuery(%q) = %v, want a *QueryError", tt.query, err)
			continue
		}
		if qe.kind != tt.kind || qe.Pos != tt.pos {
			t.Errorf("ParseQuery(%q) = %q at %d (kind %d), want kind %d at %d", tt.query, qe.Msg, qe.Pos, qe.kind, tt.kind, tt.pos)
		}
		if _, err := ParseQuery(qe.Example); err != nil {
			t.Errorf("ParseQuery(%q): example %q does not parse: %v", tt.query, qe.Example, err)
		}
	}
}

// A query limited to a source matches only that source's entries, in Query.Match and in the
// Matcher alike; a query without in: matches every source's.
func TestQuerySourceMatches(t *testing.T) {
	t.Parallel()
	rows := []Row{
		{SubscriptionID: 1, ChatID: 10, Query: `drones in:"TRT World live"`},
		{SubscriptionID: 2, ChatID: 20, Query: `drones`},
		{SubscriptionID: 3, ChatID: 30, Query: `drones in:"BBC"`},
	}
	catalog, err := NewCatalog(nil)
	if err != nil {
		t.Fatal(err)
	}
	m := NewMatcher(catalog, rows, nil, slog.New(slog.DiscardHandler))
	// Rebuilt from itself, reusing compiled units, the limits stay.
	m2 := NewMatcher(catalog, rows, m, slog.New(slog.DiscardHandler))
	for _, tt := range []struct {
		doc  *Document
		want []int64
	}{
		{NewEntryDocument("TRT World live", "Drones over Kyiv", nil), []int64{1, 2}},
		{NewEntryDocument("trt  world LIVE", "Drones over Kyiv", nil), []int64{1, 2}},
		{NewEntryDocument("BBC", "Drones over Kyiv", nil), []int64{2, 3}},
		{NewEntryDocument("Other", "Drones over Kyiv", nil), []int64{2}},
		{NewDocument("Drones over Kyiv", nil), []int64{2}},
		{NewEntryDocument("BBC", "Missiles over Kyiv", nil), nil},
	} {
		for i, mm := range []*Matcher{m, m2} {
			var got []int64
			for _, h := range mm.Match(tt.doc) {
				got = append(got, h.SubscriptionID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("matcher %d: Match(%s) = %v, want %v", i, tt.doc.source, got, tt.want)
			}
			var scanned []int64
			for _, h := range mm.matchScan(tt.doc) {
				scanned = append(scanned, h.SubscriptionID)
			}
			if !slices.Equal(scanned, tt.want) {
				t.Errorf("matcher %d: matchScan(%s) = %v, want %v", i, tt.doc.source, scanned, tt.want)
			}
		}
		for _, r := range rows {
			q, _ := ParseQuery(r.Query)
			if got := q.Match(tt.doc); got != slices.Contains(tt.want, r.SubscriptionID) {
				t.Errorf("ParseQuery(%q).Match(%s) = %v", r.Query, tt.doc.source, got)
			}
			if terms := q.MatchedTerms(tt.doc); (terms != nil) != slices.Contains(tt.want, r.SubscriptionID) {
				t.Errorf("ParseQuery(%q).MatchedTerms(%s) = %v", r.Query, tt.doc.source, terms)
			}
		}
	}
}
