package match

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxQueryLen is the longest query ParseQuery accepts, in characters (runes).
const maxQueryLen = 200

// minPrefixLen is the fewest characters a prefix (the word before a star) may have.
const minPrefixLen = 2

// ParseQuery parses a subscription query. The language:
//
//	drones                 a word; case, diacritics, punctuation, an English plural or
//	                       possessive do not matter (Drones = drone, Türkiye = turkiye),
//	                       nor Russian and Ukrainian inflections (Белгород = Белгороде)
//	"peace talks"          a phrase: words in this order, next to each other, within the
//	                       title or within one paragraph; “typographic” quotes work too
//	shahed-136             a word with punctuation inside is the phrase "shahed 136"
//	drones belgorod        both (implicit AND; AND may also be written out)
//	drones OR missiles     either; also drones | missiles; AND binds tighter than OR
//	drones -gaza           drones but not gaza; also drones NOT gaza, -"peace talks", -(a b)
//	dron*                  any word starting with dron (at least 2 characters before *)
//	title:drones           only in the title; also title:"peace talks", title:(a OR b)
//	(drones OR uav) kyiv   parentheses group
//	drones in:"BBC News"   only entries of the source named BBC News (case and spacing do
//	                       not matter); once per query, outside parentheses, not excluded
//	re:/shell(ing|ed)\s+\w+/  the whole query a regular expression (see query_regex.go)
//
// OR, AND and NOT are operators only in capitals: "or" is a word. Every OR alternative needs a
// word to look for, not only exclusions. Errors are *QueryError, with a corrected example.
func ParseQuery(s string) (*Query, error) {
	rs := []rune(s)
	if len(rs) > maxQueryLen && !isRegexQuery(s) {
		e := newQueryError(errTooLong, maxQueryLen, len(rs))
		suggestExample(rs, e)
		return nil, e
	}
	q, e := parseQuery(s)
	if e != nil {
		suggestExample(rs, e)
		return nil, e
	}
	return q, nil
}

// parseQuery parses a query of any length; errors have no Example.
func parseQuery(s string) (*Query, *QueryError) {
	root, source, e := parseQueryTree(s)
	if e != nil {
		return nil, e
	}
	q := &Query{root: root, source: source, text: root.String()}
	if source != "" {
		q.text += " " + inField + `"` + source + `"`
	}
	terms := root.appendTerms(nil)
	q.terms = uniqueSorted(terms)
	return q, nil
}

// parseQueryTree is parseQuery without rendering String and collecting the terms, for the matcher,
// which needs only the tree and the source the query is limited to ("" for any). A regular
// expression query is the whole query: it is limited to no source.
func parseQueryTree(s string) (*queryNode, string, *QueryError) {
	if isRegexQuery(s) {
		root, e := parseRegexQuery(s)
		return root, "", e
	}
	rs := []rune(s)
	toks, e := lexQuery(rs)
	if e != nil {
		return nil, "", e
	}
	toks, source, e := takeSource(toks)
	if e != nil {
		return nil, "", e
	}
	p := queryParser{toks: toks}
	root, e := p.parseOr(false)
	if e != nil {
		return nil, "", e
	}
	if t := p.peek(); t.kind == qtRParen {
		return nil, "", newQueryError(errCloseParen, t.pos, t.end)
	}
	if root == nil {
		return nil, "", newQueryError(errEmpty, 0, len(rs))
	}
	if bad := root.positive(); bad != nil {
		kind := errOrBranch
		if bad == root {
			kind = errOnlyExclusions
		}
		return nil, "", newQueryError(kind, bad.pos, bad.pos)
	}
	return root, source, nil
}

// takeSource removes the in: token from toks and returns its source name, spaces collapsed
// ("" without one). An in: inside parentheses, after NOT or title:, with an empty name, or a
// second one naming another source is an error.
func takeSource(toks []queryToken) ([]queryToken, string, *QueryError) {
	source, depth := "", 0
	out := toks[:0:0]
	for i, t := range toks {
		switch t.kind {
		case qtLParen:
			depth++
		case qtRParen:
			depth--
		case qtIn:
			name := strings.Join(strings.Fields(string(t.raw)), " ")
			prev := qtEOF
			if i > 0 {
				prev = toks[i-1].kind
			}
			if depth != 0 || prev == qtNot || prev == qtTitle || name == "" ||
				(source != "" && SourceKey(source) != SourceKey(name)) {
				return nil, "", newQueryError(errIn, t.pos, t.end)
			}
			source = name
			continue
		}
		out = append(out, t)
	}
	return out, source, nil
}

// SourceKey is the form in which a source's name is compared with a query's in: name: lower
// case, spaces collapsed.
func SourceKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// queryParser is a recursive-descent parser over a query's tokens:
//
//	or      = and { OR and }
//	and     = unary { [AND] unary }
//	unary   = NOT unary | title: primary | primary
//	primary = word | phrase | "(" or ")"
//
// AND binds tighter than OR, but an exclusion applies to its whole group (the query, or the
// parentheses it is in) whichever alternative it is written in: `"peace talks" OR ceasefire
// -gaza` is `("peace talks" OR ceasefire) NOT gaza`, as people mean it.
//
// Parse functions return a nil node for something with no word in it (an emoji, "!!!"), which
// the caller leaves out; title says the operand is restricted to titles.
type queryParser struct {
	toks []queryToken
	i    int
}

func (p *queryParser) peek() queryToken { return p.toks[p.i] }

func (p *queryParser) next() queryToken {
	t := p.toks[p.i]
	if t.kind != qtEOF {
		p.i++
	}
	return t
}

func (p *queryParser) parseOr(title bool) (*queryNode, *QueryError) {
	var alts []queryAlt
	for {
		a, e := p.parseAnd(title)
		if e != nil {
			return nil, e
		}
		alts = append(alts, a)
		if p.peek().kind != qtOr {
			break
		}
		or := p.next()
		if len(a.pos)+len(a.neg) == 0 || p.peekAltEmpty() {
			return nil, newQueryError(errDanglingOr, or.pos, or.end)
		}
		alts[len(alts)-1].or = or
	}
	if len(alts) == 1 {
		return newListNode(opAnd, append(alts[0].pos, alts[0].neg...)), nil
	}
	var ors, negs []*queryNode
	for i, a := range alts {
		if len(a.pos) == 0 {
			// Point at the OR next to the alternative with nothing to look for.
			or := a.or
			if i == len(alts)-1 {
				or = alts[i-1].or
			}
			return nil, newQueryError(errOrBranch, or.pos, or.end)
		}
		ors = append(ors, newListNode(opAnd, a.pos))
		negs = append(negs, a.neg...)
	}
	return newListNode(opAnd, append([]*queryNode{newListNode(opOr, ors)}, negs...)), nil
}

// queryAlt is one OR alternative as parsed: the operands to look for and the exclusions
// written directly in it (not inside parentheses), which apply to the whole group.
type queryAlt struct {
	pos, neg []*queryNode
	or       queryToken // the OR after the alternative, if any
}

// peekAltEmpty reports whether the alternative starting at the next token is empty: nothing
// before the next OR, ) or the end.
func (p *queryParser) peekAltEmpty() bool {
	switch p.peek().kind {
	case qtOr, qtRParen, qtEOF:
		return true
	}
	return false
}

func (p *queryParser) parseAnd(title bool) (queryAlt, *QueryError) {
	var a queryAlt
	for {
		switch t := p.peek(); t.kind {
		case qtOr, qtRParen, qtEOF:
			return a, nil
		case qtAnd:
			p.next()
			if len(a.pos)+len(a.neg) == 0 || p.peekAltEmpty() || p.peek().kind == qtAnd {
				return a, newQueryError(errDanglingAnd, t.pos, t.end)
			}
			continue
		}
		u, e := p.parseUnary(title)
		switch {
		case e != nil:
			return a, e
		case u == nil:
		case u.op == opNot:
			a.neg = append(a.neg, u)
		default:
			a.pos = append(a.pos, u)
		}
	}
}

func (p *queryParser) parseUnary(title bool) (*queryNode, *QueryError) {
	switch t := p.peek(); t.kind {
	case qtNot:
		p.next()
		switch p.peek().kind {
		case qtOr, qtAnd, qtRParen, qtEOF:
			return nil, newQueryError(errDanglingNot, t.pos, t.end)
		}
		u, e := p.parseUnary(title)
		if u == nil || e != nil {
			return nil, e
		}
		return newNotNode(u, t.pos), nil
	case qtTitle:
		p.next()
		switch p.peek().kind {
		case qtWord, qtPhrase, qtLParen:
		default:
			return nil, newQueryError(errTitle, t.pos, t.end)
		}
		return p.parsePrimary(true)
	}
	return p.parsePrimary(title)
}

func (p *queryParser) parsePrimary(title bool) (*queryNode, *QueryError) {
	t := p.next()
	switch t.kind {
	case qtWord, qtPhrase:
		return leafFromToken(t, title)
	case qtLParen:
		inner, e := p.parseOr(title)
		if e != nil {
			return nil, e
		}
		closing := p.peek()
		if closing.kind != qtRParen {
			return nil, newQueryError(errOpenParen, t.pos, t.end)
		}
		p.next()
		if inner == nil {
			return nil, newQueryError(errEmptyParens, t.pos, closing.end)
		}
		return inner, nil
	}
	// Unreachable: parseAnd stops before ) and EOF, parseUnary checks what follows NOT and
	// title:, and OR and AND are handled by their parse functions.
	panic("match: query parser at unexpected token")
}

// leafFromToken returns the leaf of a word or phrase token: its terms, with a trailing star
// making the last one a prefix. It returns nil for text with no word in it.
func leafFromToken(t queryToken, title bool) (*queryNode, *QueryError) {
	raw := t.raw
	cut := len(raw)
	for cut > 0 && raw[cut-1] == '*' {
		cut--
	}
	prefix := cut < len(raw)
	for i, r := range raw[:cut] {
		if r == '*' {
			return nil, newQueryError(errStarMiddle, t.rawPos+i, t.rawPos+i+1)
		}
	}
	words := tokenTerms(string(raw[:cut]))
	if prefix {
		starPos := t.rawPos + cut
		if cut == 0 || unicode.IsSpace(raw[cut-1]) || len(words) == 0 ||
			utf8.RuneCountInString(words[len(words)-1]) < minPrefixLen {
			return nil, newQueryError(errStarShort, starPos, starPos+1)
		}
	}
	return newLeafNode(words, prefix, title, t.pos), nil
}

// uniqueSorted sorts ss and removes duplicates, in place.
func uniqueSorted(ss []string) []string {
	slices.Sort(ss)
	return slices.Compact(ss)
}
