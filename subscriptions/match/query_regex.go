package match

import (
	"errors"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// A regular expression query is the whole query written re:/pattern/, e.g.
// re:/shell(ing|ed)\s+\w+/. The pattern is Go's RE2 syntax, which matches in time linear in
// the text, so what bounds its cost is its size: at most maxRegexLen bytes, compiling to at
// most maxRegexInsts instructions. It matches, ignoring case, the entry's title and
// paragraphs (one a line) folded as words are for terms but not stemmed (see foldText); its
// literal characters are folded the same way, so accents in the pattern do not matter either.
//
// A regex is indexed under a word it cannot match without (requiredWord), and otherwise
// verified against every entry (matchIndex.always).

const (
	regexPrefix = "re:/"
	// maxRegexLen is the longest pattern, in bytes.
	maxRegexLen = 200
	// maxRegexInsts is the most instructions a pattern may compile to: a{1000} is within
	// maxRegexLen but not within this.
	maxRegexInsts = 1000
)

// MaxRegexLength is the longest pattern of a re:/…/ query, in bytes, for messages.
const MaxRegexLength = maxRegexLen

// isRegexQuery reports whether s is written as a regular expression query.
func isRegexQuery(s string) bool {
	t := strings.TrimSpace(s)
	return len(t) >= len(regexPrefix) && strings.EqualFold(t[:len(regexPrefix)], regexPrefix)
}

// parseRegexQuery parses a query isRegexQuery reports true for.
func parseRegexQuery(s string) (*queryNode, *QueryError) {
	lead := len(s) - len(strings.TrimLeft(s, " \t\r\n"))
	t := strings.TrimSpace(s)
	start := utf8.RuneCountInString(s[:lead]) + len(regexPrefix) // the pattern's first rune
	body := t[len(regexPrefix):]
	pattern, closed := strings.CutSuffix(body, "/")
	if !closed {
		end := start + utf8.RuneCountInString(body)
		return nil, newQueryError(errRegexSlash, end, end)
	}
	if len(pattern) > maxRegexLen {
		at := start + utf8.RuneCountInString(pattern[:maxRegexLen])
		return nil, newQueryError(errRegexTooLong, at, start+utf8.RuneCountInString(pattern))
	}
	syn, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		e := newQueryError(errRegexInvalid, start, start+utf8.RuneCountInString(pattern))
		var se *syntax.Error
		if errors.As(err, &se) {
			e.Detail = se.Code.String()
		}
		return nil, e
	}
	foldLiterals(syn)
	prog, err := syntax.Compile(syn.Simplify())
	if err != nil || len(prog.Inst) > maxRegexInsts {
		return nil, newQueryError(errRegexComplex, start, start+utf8.RuneCountInString(pattern))
	}
	re, err := regexp.Compile("(?i)" + syn.String())
	if err != nil {
		return nil, newQueryError(errRegexComplex, start, start+utf8.RuneCountInString(pattern))
	}
	if re.MatchString("") {
		return nil, newQueryError(errRegexEverything, start, start+utf8.RuneCountInString(pattern))
	}
	return &queryNode{op: opRegex, pattern: pattern, re: re, key: requiredWord(syn), pos: start - len(regexPrefix)}, nil
}

// foldLiterals folds the literal characters of re as foldText folds text, in place.
func foldLiterals(re *syntax.Regexp) {
	if re.Op == syntax.OpLiteral {
		if f := []rune(foldText(string(re.Rune))); len(f) > 0 {
			re.Rune = f
		}
	}
	for _, s := range re.Sub {
		foldLiterals(s)
	}
}

// requiredWord returns a term every text the folded pattern re matches has, or "" when it
// finds none: the longest whole word of a literal that the pattern's top-level sequence
// requires, whole meaning that the literal itself, or what the pattern requires next to it,
// puts a word boundary on each of its sides — in kharkiv\s+region both words are whole; in
// shell(ing|ed) "shell" is only the start of a word, which a term cannot stand for.
func requiredWord(re *syntax.Regexp) string {
	seq := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		seq = re.Sub
	}
	best := ""
	for i, s := range seq {
		if s.Op != syntax.OpLiteral {
			continue
		}
		left := i > 0 && boundaryAtEnd(seq[i-1])
		right := i+1 < len(seq) && boundaryAtStart(seq[i+1])
		for _, w := range wholeWords(s.Rune, left, right) {
			if terms := tokenTerms(w); len(terms) == 1 && len(terms[0]) > len(best) {
				best = terms[0]
			}
		}
	}
	return best
}

// wholeWords returns the runs of word runes in lit that are whole words: bounded by a
// non-word rune of lit on each side, or by the edge of lit where left or right says a boundary
// is there.
func wholeWords(lit []rune, left, right bool) []string {
	var out []string
	for i := 0; i < len(lit); {
		if !isWordRune(lit[i]) {
			i++
			continue
		}
		j := i
		for j < len(lit) && isWordRune(lit[j]) {
			j++
		}
		if (i > 0 || left) && (j < len(lit) || right) {
			out = append(out, string(lit[i:j]))
		}
		i = j
	}
	return out
}

// boundaryAtEnd reports whether whatever re matches ends where a word cannot go on: at a
// \b, the start of the text or a line, or with a non-word rune.
func boundaryAtEnd(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpWordBoundary, syntax.OpBeginText, syntax.OpBeginLine:
		return true
	case syntax.OpLiteral:
		return len(re.Rune) > 0 && !isWordRune(re.Rune[len(re.Rune)-1])
	case syntax.OpCharClass:
		return nonWordClass(re.Rune)
	case syntax.OpPlus, syntax.OpCapture:
		return boundaryAtEnd(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min >= 1 && boundaryAtEnd(re.Sub[0])
	case syntax.OpConcat:
		return len(re.Sub) > 0 && boundaryAtEnd(re.Sub[len(re.Sub)-1])
	case syntax.OpAlternate:
		for _, s := range re.Sub {
			if !boundaryAtEnd(s) {
				return false
			}
		}
		return true
	}
	return false
}

// boundaryAtStart reports whether whatever re matches starts where a word cannot go on: at
// a \b, the end of the text or a line, or with a non-word rune.
func boundaryAtStart(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpWordBoundary, syntax.OpEndText, syntax.OpEndLine:
		return true
	case syntax.OpLiteral:
		return len(re.Rune) > 0 && !isWordRune(re.Rune[0])
	case syntax.OpCharClass:
		return nonWordClass(re.Rune)
	case syntax.OpPlus, syntax.OpCapture:
		return boundaryAtStart(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min >= 1 && boundaryAtStart(re.Sub[0])
	case syntax.OpConcat:
		return len(re.Sub) > 0 && boundaryAtStart(re.Sub[0])
	case syntax.OpAlternate:
		for _, s := range re.Sub {
			if !boundaryAtStart(s) {
				return false
			}
		}
		return true
	}
	return false
}

// nonWordClass reports whether a character class (pairs of lo, hi) holds no word rune; a
// class too large to check is taken to hold one.
func nonWordClass(ranges []rune) bool {
	n := 0
	for i := 0; i+1 < len(ranges); i += 2 {
		n += int(ranges[i+1]-ranges[i]) + 1
		if n > 4096 {
			return false
		}
		for r := ranges[i]; r <= ranges[i+1]; r++ {
			if isWordRune(r) {
				return false
			}
		}
	}
	return n > 0
}

// regexMatch returns where re first matches the document's folded text, widened to whole
// words, and false when it does not match.
func regexMatch(re *regexp.Regexp, d *Document) (string, bool) {
	text := d.folded()
	loc := re.FindStringIndex(text)
	if loc == nil {
		return "", false
	}
	from, to := loc[0], loc[1]
	for from > 0 {
		r, n := utf8.DecodeLastRuneInString(text[:from])
		if !isWordRune(r) {
			break
		}
		from -= n
	}
	for to < len(text) {
		r, n := utf8.DecodeRuneInString(text[to:])
		if !isWordRune(r) {
			break
		}
		to += n
	}
	return text[from:to], true
}
