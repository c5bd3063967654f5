package bot

import "livealert/subscriptions/match"

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

// termSet returns an alert's terms (subscriptions.Delivery.Terms) as wordMatches takes them.
func termSet(terms []string) map[string]bool {
	set := make(map[string]bool, len(terms))
	for _, t := range terms {
		set[t] = true
	}
	return set
}
