package bot

import (
	"livealert/subscriptions"
	"livealert/subscriptions/match"
)

// wordMatches reports whether one word of a text stands for one of terms once normalised
// as documents are.
func wordMatches(word string, terms map[string]bool) bool {
	for _, tk := range match.Tokenize(word) {
		if terms[tk.Term] {
			return true
		}
	}
	return false
}

// matchedTerms returns the normalised terms of an alert's entry that made its labels match:
// the catalog topics' keywords, or the chats' own queries. Labels that no longer parse or
// name a topic no longer offered contribute nothing.
func matchedTerms(catalog *match.Catalog, d subscriptions.Delivery) map[string]bool {
	doc := match.NewDocument(d.Entry.Title, d.Entry.Body)
	terms := map[string]bool{}
	for _, label := range d.Labels {
		var hits []string
		if ct, ok := catalog.Compiled(label); ok {
			hits = ct.MatchedTerms(doc) // compiled once, when the catalog was
		} else if q, err := match.ParseQuery(label); err == nil {
			hits = q.MatchedTerms(doc)
		}
		for _, h := range hits {
			terms[h] = true
		}
	}
	return terms
}
