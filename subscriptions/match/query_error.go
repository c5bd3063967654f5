package match

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// QueryError is why a query does not parse, worded for the person who typed it.
type QueryError struct {
	// Pos is the offset, in runes from 0, of the place in the query the problem is at.
	Pos int
	// Msg says what is wrong, in plain English, starting lowercase.
	Msg string
	// Example is a valid query the bot can suggest instead: the typed query corrected when
	// the fix is obvious (a closing quote added, a stray OR removed), a generic example of the
	// right form otherwise. ParseQuery always accepts it.
	Example string

	// Detail is the regular expression parser's own words for errors of the regex_invalid
	// code ("missing closing )"), "" otherwise.
	Detail string

	kind queryErrorKind // which check failed
	end  int            // offset after the offending text, for corrections that remove it
}

// Error returns the message with the (1-based) character it is at.
func (e *QueryError) Error() string {
	if e.Detail != "" {
		return fmt.Sprintf("bad query at character %d: %s: %s", e.Pos+1, e.Msg, e.Detail)
	}
	return fmt.Sprintf("bad query at character %d: %s", e.Pos+1, e.Msg)
}

// queryErrorKind identifies the check a query failed.
type queryErrorKind uint8

const (
	errEmpty           queryErrorKind = iota // no words at all
	errTooLong                               // longer than maxQueryLen
	errQuote                                 // a quote never closed
	errOpenParen                             // a ( never closed
	errCloseParen                            // a ) closing nothing
	errEmptyParens                           // () with nothing to look for inside
	errOnlyExclusions                        // nothing to look for, only things to leave out
	errOrBranch                              // one side of an OR has only exclusions (at the OR)
	errDanglingOr                            // OR or | with nothing on one side
	errDanglingAnd                           // AND with nothing on one side
	errDanglingNot                           // NOT with nothing after it
	errDash                                  // a minus not touching the word it excludes
	errTitle                                 // title: not touching a word
	errStarShort                             // a prefix shorter than minPrefixLen
	errStarMiddle                            // a star not at the end of a word
	errIn                                    // in: without a source name, nested, excluded or twice
	errRegexSlash                            // re:/ with no closing slash
	errRegexTooLong                          // a pattern longer than maxRegexLen
	errRegexInvalid                          // a pattern RE2 does not parse
	errRegexComplex                          // a pattern compiling to more than maxRegexInsts
	errRegexEverything                       // a pattern matching the empty text, so every entry
)

// queryErrorTexts are the message and generic valid example of each kind. Immutable.
var queryErrorTexts = [...]struct{ msg, example string }{
	errEmpty:           {"there is no word to look for", "drones"},
	errTooLong:         {fmt.Sprintf("the query is longer than %d characters; follow several shorter queries instead", maxQueryLen), `"peace talks" OR ceasefire -gaza`},
	errQuote:           {"this quote is never closed; a phrase goes between two quotes", `"peace talks"`},
	errOpenParen:       {"this ( is never closed", "(drones OR missiles) -gaza"},
	errCloseParen:      {"this ) has no ( before it", "(drones OR missiles) -gaza"},
	errEmptyParens:     {"there is nothing to look for between these parentheses", "(drones OR missiles) -gaza"},
	errOnlyExclusions:  {"a query needs at least one word to look for, not only words to leave out", "drones -gaza"},
	errOrBranch:        {"each side of OR needs a word to look for, not only words to leave out", "drones OR missiles -gaza"},
	errDanglingOr:      {"OR needs something to look for on both sides", "drones OR missiles"},
	errDanglingAnd:     {"AND needs something to look for on both sides", "drones AND belgorod"},
	errDanglingNot:     {"NOT needs the word to leave out right after it", "drones NOT gaza"},
	errDash:            {"a minus goes right before the word to leave out, with no space", "drones -gaza"},
	errTitle:           {"title: goes right before the word to look for in titles, with no space", "title:drones"},
	errStarShort:       {fmt.Sprintf("put at least %d letters before the star, or it matches almost everything", minPrefixLen), "dron*"},
	errStarMiddle:      {"a star can only end a word, to match every word that starts like it", "dron*"},
	errIn:              {`in: names one source, once, outside parentheses, right before its name in quotes`, `drones in:"BBC News"`},
	errRegexSlash:      {"a regular expression goes between two slashes", `re:/shell(ing|ed)\s+\w+/`},
	errRegexTooLong:    {fmt.Sprintf("the regular expression is longer than %d characters", maxRegexLen), `re:/shell(ing|ed)\s+\w+/`},
	errRegexInvalid:    {"this is not a regular expression livealert understands", `re:/shell(ing|ed)\s+\w+/`},
	errRegexComplex:    {"the regular expression is too complex; use fewer or smaller repetitions", `re:/shell(ing|ed)\s+\w+/`},
	errRegexEverything: {"the regular expression matches an empty text, so it would match every entry", `re:/shell(ing|ed)\s+\w+/`},
}

// newQueryError returns the error of kind at runes [pos, end) of the query, without Example.
func newQueryError(kind queryErrorKind, pos, end int) *QueryError {
	return &QueryError{Pos: pos, Msg: queryErrorTexts[kind].msg, kind: kind, end: end}
}

// suggestExample sets e.Example to a corrected form of the query rs when the correction is
// obvious, valid and within maxQueryLen, and to the kind's generic example otherwise.
func suggestExample(rs []rune, e *QueryError) {
	splice := func(insert string, from, to int) string {
		return string(rs[:from]) + insert + string(rs[to:])
	}
	var fix string
	switch e.kind {
	case errQuote:
		fix = string(rs) + `"`
	case errOpenParen:
		fix = string(rs) + ")"
	case errDash, errTitle:
		// Join the operator to the word after it, or drop it when nothing follows.
		if after := strings.TrimLeftFunc(string(rs[e.end:]), unicode.IsSpace); after != "" {
			fix = string(rs[:e.end]) + after
		} else {
			fix = string(rs[:e.Pos])
		}
	case errCloseParen, errDanglingOr, errDanglingAnd, errDanglingNot, errOrBranch:
		fix = splice(" ", e.Pos, e.end)
	case errOnlyExclusions:
		fix = splice(queryErrorTexts[errEmpty].example+" ", e.Pos, e.Pos)
	case errTooLong:
		fix = longestValidStart(string(rs))
	}
	fix = strings.Join(strings.Fields(fix), " ")
	fix = strings.NewReplacer("( ", "(", " )", ")").Replace(fix)
	if fix != "" && utf8.RuneCountInString(fix) <= maxQueryLen {
		if _, err := parseQuery(fix); err == nil {
			e.Example = fix
			return
		}
	}
	e.Example = queryErrorTexts[e.kind].example
}

// longestValidStart returns the longest run of s's first words that is within maxQueryLen and
// parses, or "".
func longestValidStart(s string) string {
	words := strings.Fields(s)
	n, size := 0, -1
	for n < len(words) && size+1+utf8.RuneCountInString(words[n]) <= maxQueryLen {
		size += 1 + utf8.RuneCountInString(words[n])
		n++
	}
	for ; n > 0; n-- {
		cand := strings.Join(words[:n], " ")
		if _, err := parseQuery(cand); err == nil {
			return cand
		}
	}
	return ""
}

// Limits a QueryError's message may name: the longest query and the shortest prefix before a
// star.
const (
	MaxQueryLength  = maxQueryLen
	MinPrefixLength = minPrefixLen
)

// queryErrorCodes name each kind, stable across versions. Immutable.
var queryErrorCodes = [...]string{
	errEmpty:           "empty",
	errTooLong:         "too_long",
	errQuote:           "quote",
	errOpenParen:       "open_paren",
	errCloseParen:      "close_paren",
	errEmptyParens:     "empty_parens",
	errOnlyExclusions:  "only_exclusions",
	errOrBranch:        "or_branch",
	errDanglingOr:      "dangling_or",
	errDanglingAnd:     "dangling_and",
	errDanglingNot:     "dangling_not",
	errDash:            "dash",
	errTitle:           "title",
	errStarShort:       "star_short",
	errStarMiddle:      "star_middle",
	errIn:              "in_source",
	errRegexSlash:      "regex_slash",
	errRegexTooLong:    "regex_too_long",
	errRegexInvalid:    "regex_invalid",
	errRegexComplex:    "regex_complex",
	errRegexEverything: "regex_everything",
}

// Code names the check the query failed ("quote", "dangling_or"…), for messages in other
// languages than Msg's; stable across versions.
func (e *QueryError) Code() string { return queryErrorCodes[e.kind] }
