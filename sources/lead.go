package sources

import (
	"strings"
	"unicode/utf8"
)

// Bounds of a title taken from a body (leadTitle).
const (
	maxLeadTitle = 160 // runes: a first paragraph this short is the title whole
	minSentence  = 20  // runes: a shorter first sentence ("Update:") is no title
)

// leadTitle makes a title for an update that has none from its body paragraphs: the first
// paragraph when it is short; else its first sentence when that is of a title's length, the
// rest of the paragraph staying in the body; else the first paragraph cut at a word with
// "…", the body keeping the whole paragraph. It returns "" and the paragraphs when there
// are none.
func leadTitle(paras []string) (string, []string) {
	if len(paras) == 0 {
		return "", paras
	}
	first := paras[0]
	if utf8.RuneCountInString(first) <= maxLeadTitle {
		return first, paras[1:]
	}
	if end := sentenceEnd(first); end > 0 {
		rest := strings.TrimSpace(first[end:])
		body := make([]string, 0, len(paras))
		body = append(body, rest)
		return strings.TrimSpace(first[:end]), append(body, paras[1:]...)
	}
	cut := first
	for i := range first {
		if utf8.RuneCountInString(first[:i]) >= maxLeadTitle-1 {
			cut = first[:i]
			break
		}
	}
	if sp := strings.LastIndexByte(cut, ' '); sp > 0 {
		cut = cut[:sp]
	}
	return strings.TrimRight(cut, " ,;:–—-") + "…", paras
}

// sentenceEnd returns the byte offset just after the first sentence of p — ended by ".",
// "!" or "?" and a space — when that sentence is between minSentence and maxLeadTitle
// runes long; else 0.
func sentenceEnd(p string) int {
	runes := 0
	for i, r := range p {
		runes++
		if runes > maxLeadTitle {
			return 0
		}
		if (r == '.' || r == '!' || r == '?') && runes >= minSentence && i+1 < len(p) && p[i+1] == ' ' {
			return i + 1
		}
	}
	return 0
}
