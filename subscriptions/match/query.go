package match

import "slices"

// Query is a parsed subscription query (see ParseQuery for the language). It is immutable
// and safe for concurrent use.
type Query struct {
	root   *queryNode
	source string   // the source named by in:, "" for any
	text   string   // String(), rendered once
	terms  []string // sortedTerms(), collected once
}

// String renders the query as understood, in canonical form, for showing back to its author:
// words as their normalised terms (a plural as its singular), operators spelt out, AND binding
// tighter than OR and groups in parentheses, exclusions last, e.g.
//
//	drone AND (uav OR shahed) NOT gaza
//	("peace talk" OR ceasefire) NOT gaza
//	title:belgorod AND "shahed 136" AND dron*
//
// Parsing it gives a query with the same String and the same matches, provided it is within
// maxQueryLen: spelling operators out can make it longer than what was typed, so store the
// query as typed, not this.
func (q *Query) String() string { return q.text }

// sortedTerms returns the distinct normalised terms the query looks for, outside exclusions, sorted.
// A term ending in * is a prefix (normalised terms never contain *). The query can only match
// a document containing at least one of them (every OR alternative has a word to look for),
// so an inverted index from these terms finds every query a document may match — except a
// regular expression with no word it requires, which has none and may match anything.
func (q *Query) sortedTerms() []string { return slices.Clone(q.terms) }

// Source returns the name of the source the query is limited to (in:"…"), spaces collapsed,
// as typed otherwise; "" when it is not limited.
func (q *Query) Source() string { return q.source }

// inSource reports whether d is of the query's source, if it names one.
func (q *Query) inSource(d *Document) bool {
	return q.source == "" || SourceKey(q.source) == d.source
}

// Match reports whether the document matches the query: its words, and its source when the
// query names one (a Document without a source is in none).
func (q *Query) Match(d *Document) bool { return q.inSource(d) && q.root.match(d, nil) }

// MatchedTerms returns the distinct document terms that made the query match, sorted, for
// highlighting; nil when the query does not match. For a prefix they are the document's
// terms with that prefix; a phrase contributes all its terms.
func (q *Query) MatchedTerms(d *Document) []string {
	hits := []string{}
	if !q.inSource(d) || !q.root.match(d, &hits) {
		return nil
	}
	slices.Sort(hits)
	return slices.Compact(hits)
}
