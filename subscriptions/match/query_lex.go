package match

import (
	"strings"
	"unicode"
)

// queryTokenKind is the kind of a lexical token of a query.
type queryTokenKind uint8

const (
	qtWord   queryTokenKind = iota // a bare word, in raw
	qtPhrase                       // a quoted phrase, in raw without the quotes
	qtLParen                       // (
	qtRParen                       // )
	qtOr                           // OR or |
	qtAnd                          // AND
	qtNot                          // NOT, or a minus right before a word
	qtTitle                        // title: right before a word, phrase or group
	qtIn                           // in: and the source name after it, in raw
	qtEOF
)

// queryToken is a lexical token of a query; offsets are in runes.
type queryToken struct {
	kind     queryTokenKind
	pos, end int    // the token's runes are [pos, end)
	raw      []rune // qtWord, qtPhrase: the text
	rawPos   int    // offset of raw[0]
}

// isQueryQuote reports whether r opens or closes a phrase. Phones replace " with typographic
// quotes, and people writing Russian or German type «» or „“, so any of them does; a phrase
// ends at the next one, whichever it is.
func isQueryQuote(r rune) bool {
	switch r {
	case '"', '“', '”', '„', '‟', '«', '»', '＂':
		return true
	}
	return false
}

// isQueryDash reports whether r, at the start of a word, excludes it: phones turn - into a
// dash, and a minus sign is a minus.
func isQueryDash(r rune) bool {
	switch r {
	case '-', '–', '—', '−':
		return true
	}
	return false
}

// endsBareWord reports whether r ends a bare word.
func endsBareWord(r rune) bool {
	return unicode.IsSpace(r) || r == '(' || r == ')' || r == '|' || isQueryQuote(r)
}

// startsOperand reports whether the rune at rs[i] can start what an operator applies to: a
// word, a phrase or a group (or another operator, which the parser then judges).
func startsOperand(rs []rune, i int) bool {
	return i < len(rs) && !unicode.IsSpace(rs[i]) && rs[i] != ')' && rs[i] != '|'
}

// titleField is the prefix that restricts a word, phrase or group to titles.
const titleField = "title:"

// inField is the prefix that names the one source a query is limited to.
const inField = "in:"

// lexQuery splits a query into tokens, ending with a qtEOF token.
func lexQuery(rs []rune) ([]queryToken, *QueryError) {
	toks := make([]queryToken, 0, 4) // most queries are a word or three
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '(':
			toks = append(toks, queryToken{kind: qtLParen, pos: i, end: i + 1})
			i++
		case r == ')':
			toks = append(toks, queryToken{kind: qtRParen, pos: i, end: i + 1})
			i++
		case r == '|':
			toks = append(toks, queryToken{kind: qtOr, pos: i, end: i + 1})
			i++
		case isQueryQuote(r):
			j := i + 1
			for j < len(rs) && !isQueryQuote(rs[j]) {
				j++
			}
			if j == len(rs) {
				return nil, newQueryError(errQuote, i, i+1)
			}
			toks = append(toks, queryToken{kind: qtPhrase, pos: i, end: j + 1, raw: rs[i+1 : j], rawPos: i + 1})
			i = j + 1
		case isQueryDash(r):
			j := i
			for j < len(rs) && isQueryDash(rs[j]) {
				j++
			}
			if !startsOperand(rs, j) {
				return nil, newQueryError(errDash, i, j)
			}
			toks = append(toks, queryToken{kind: qtNot, pos: i, end: j})
			i = j
		case (r == 't' || r == 'T') && len(rs)-i >= len(titleField) && strings.EqualFold(string(rs[i:i+len(titleField)]), titleField):
			j := i + len(titleField)
			if !startsOperand(rs, j) {
				return nil, newQueryError(errTitle, i, j)
			}
			toks = append(toks, queryToken{kind: qtTitle, pos: i, end: j})
			i = j
		case (r == 'i' || r == 'I') && len(rs)-i >= len(inField) && strings.EqualFold(string(rs[i:i+len(inField)]), inField):
			j := i + len(inField)
			switch {
			case j < len(rs) && isQueryQuote(rs[j]):
				k := j + 1
				for k < len(rs) && !isQueryQuote(rs[k]) {
					k++
				}
				if k == len(rs) {
					return nil, newQueryError(errQuote, j, j+1)
				}
				toks = append(toks, queryToken{kind: qtIn, pos: i, end: k + 1, raw: rs[j+1 : k], rawPos: j + 1})
				i = k + 1
			case startsOperand(rs, j) && rs[j] != '(':
				k := j
				for k < len(rs) && !endsBareWord(rs[k]) {
					k++
				}
				toks = append(toks, queryToken{kind: qtIn, pos: i, end: k, raw: rs[j:k], rawPos: j})
				i = k
			default:
				return nil, newQueryError(errIn, i, j)
			}
		default:
			j := i
			for j < len(rs) && !endsBareWord(rs[j]) {
				j++
			}
			tok := queryToken{kind: qtWord, pos: i, end: j, raw: rs[i:j], rawPos: i}
			if len(tok.raw) <= len("AND") { // not every word converted to a string
				switch string(tok.raw) {
				case "OR", "АБО", "ИЛИ": // Ukrainian and Russian, typed without switching layout
					tok.kind = qtOr
				case "AND":
					tok.kind = qtAnd
				case "NOT":
					tok.kind = qtNot
				}
			}
			toks = append(toks, tok)
			i = j
		}
	}
	return append(toks, queryToken{kind: qtEOF, pos: len(rs), end: len(rs)}), nil
}
