package match

import (
	"unicode"
	"unicode/utf8"
)

// This file holds the per-rune rules of normalisation: which runes belong to words, how letters
// and digits fold, and which marks are dropped. The rules are applied identically to documents
// and to queries, so any choice here is a choice about what matches what, never a difference
// between the two sides.

// textScript is the writing system of a word, as far as normalisation cares.
type textScript uint8

const (
	scriptNone     textScript = iota // no letters yet (digits only)
	scriptLatin                      // Latin letters only
	scriptCyrillic                   // Cyrillic letters only
	scriptOther                      // letters of another script, or of several scripts
)

// mergeScript returns the script of a word whose letters so far are in a and that gains a
// letter in b.
func mergeScript(a, b textScript) textScript {
	if a == scriptNone || a == b {
		return b
	}
	return scriptOther
}

// letterClass says how a lowercased, decomposed letter behaves in a word.
type letterClass struct {
	script textScript
	// dropMarks: combining marks after the letter are diacritics and are dropped. It is false
	// for scripts in which marks are vowels or otherwise part of the spelling (Devanagari,
	// Thai, ...), where dropping them would merge different words.
	dropMarks bool
	// continua: the letter's script is written without spaces between words (Han, kana,
	// Thai, ...), so each letter is a term of its own and a query word in it is a phrase.
	continua bool
}

// classifyLetter classifies a lowercased, decomposed, non-ASCII letter.
func classifyLetter(r rune) letterClass {
	switch {
	case r < 0x250 || unicode.Is(unicode.Latin, r):
		return letterClass{script: scriptLatin, dropMarks: true}
	case 0x400 <= r && r <= 0x52f || unicode.Is(unicode.Cyrillic, r):
		return letterClass{script: scriptCyrillic, dropMarks: true}
	case unicode.In(r, unicode.Greek, unicode.Arabic, unicode.Hebrew):
		return letterClass{script: scriptOther, dropMarks: true}
	case unicode.In(r, continuaScripts...):
		return letterClass{script: scriptOther, continua: true}
	}
	return letterClass{script: scriptOther}
}

// continuaScripts are the scripts written without spaces between words. Immutable.
var continuaScripts = []*unicode.RangeTable{
	unicode.Han, unicode.Hiragana, unicode.Katakana,
	unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar,
}

// letterFolds maps lowercase letters that have no Unicode decomposition but are read as
// plain Latin letters by people typing on an ASCII keyboard ("Łódź" is typed "Lodz") to
// their plain spelling; ß and ς are the full case folds Unicode lowercasing does not do.
// Immutable.
var letterFolds = map[rune]string{
	'ß': "ss", 'ı': "i", 'ł': "l", 'ø': "o", 'đ': "d", 'ð': "d", 'ħ': "h", 'ŧ': "t",
	'ƀ': "b", 'ɨ': "i", 'æ': "ae", 'œ': "oe", 'þ': "th", 'ς': "σ",
}

// Runes with special roles.
const (
	runeZWSP    = '\u200b' // zero-width space: separates words like a space
	runeTatweel = '\u0640' // Arabic elongation: typographic only, dropped
	runeMiddot  = '\u00b7' // middle dot inside the decomposition of ŀ: dropped
	runeBreve   = '\u0306' // combining breve: kept on Cyrillic й and ў
)

// isApostrophe reports whether r is typed as an apostrophe. Between two letters it joins them
// ("can't" → cant); "'s" at the end of a word is a possessive and is dropped.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '\u2019', '\u2018', '\u02bc', '\u02bb', '\u2032':
		return true
	}
	return false
}

// isWordRune reports whether r can be part of a word: a letter, a decimal digit or a mark.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// isLetterOrDigit reports whether r can start or continue a word (marks only continue one).
func isLetterOrDigit(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// digitValue returns the value of the decimal digit r (unicode.IsDigit(r) must hold), so that
// "٢٠٢٤" and "2024" are the same term. Unicode allocates every decimal digit in runs of ten
// from zero, and the unicode.Nd table is made of such runs (a test checks it), so the value is
// the offset within the run.
func digitValue(r rune) byte {
	for _, rg := range unicode.Nd.R16 {
		if rune(rg.Lo) <= r && r <= rune(rg.Hi) {
			return byte((r - rune(rg.Lo)) % 10)
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if rune(rg.Lo) <= r && r <= rune(rg.Hi) {
			return byte((r - rune(rg.Lo)) % 10)
		}
	}
	return 0
}
