package match

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Token is one normalised term of a text and its position among the text's terms.
type Token struct {
	// Term is the normalised word: case-folded, without diacritics, apostrophes or an English
	// possessive, with an English plural folded to its singular. It is non-empty and made only
	// of letters, digits and (in scripts that need them) combining marks; tokenizing it again
	// gives back exactly this term.
	Term string
	// Pos counts the terms before this one in the text, from 0.
	Pos int
}

// Tokenize splits text into normalised terms, in order. Words are maximal runs of letters,
// decimal digits and marks; everything else (spaces, punctuation, symbols, emoji) separates
// them, so "Shahed-136/131" is three terms: shahed, 136, 131. An apostrophe between two
// letters is dropped ("can't" → cant) and a final "'s" too ("Kyiv’s" → kyiv). Each letter of
// a script written without spaces (Chinese, Japanese, Thai, ...) is a term of its own.
// Documents and queries are tokenized by this same function.
func Tokenize(text string) []Token {
	var t tokenizer
	t.text(text)
	s := string(t.buf)
	toks := make([]Token, len(t.spans))
	for i, sp := range t.spans {
		toks[i] = Token{Term: s[sp.start:sp.end], Pos: int(sp.pos)}
	}
	return toks
}

// tokenTerms returns the terms of text without positions.
func tokenTerms(text string) []string {
	var t tokenizer
	t.text(text)
	all := string(t.buf)
	out := make([]string, len(t.spans))
	for i, sp := range t.spans {
		out[i] = all[sp.start:sp.end]
	}
	return out
}

// termSpan locates one term in a tokenizer's buffer.
type termSpan struct {
	start, end int32 // byte offsets of the term in tokenizer.buf
	pos        int32 // position of the term in its field
}

// tokenizer appends the normalised terms of texts to one shared buffer, so that a document's
// terms cost one string allocation in all. The zero value is ready to use.
type tokenizer struct {
	buf   []byte     // the bytes of all terms so far, back to back
	spans []termSpan // one per term, in order
	pos   int32      // the position the next term gets
	// verbatim keeps what separates words in buf and leaves words unstemmed: foldText.
	verbatim bool

	// The word being built, which occupies buf[start:] while inWord.
	inWord    bool
	start     int
	last      rune       // the last letter or digit written, for the breve of й
	dropMarks bool       // marks after last are diacritics, dropped
	script    textScript // script of the word's letters
	digits    bool       // the word has a digit
	continua  bool       // the word is one letter of a script written without spaces
}

// text tokenizes s, appending its terms.
func (t *tokenizer) text(s string) {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
				t.ascii(c)
			case 'A' <= c && c <= 'Z':
				t.ascii(c + 'a' - 'A')
			case c == '\'':
				i = t.apostrophe(s, i)
			default:
				t.separator(rune(c))
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case isApostrophe(r):
			i = t.apostrophe(s, i+n)
			continue
		case r == runeZWSP:
			t.separator(r)
		case unicode.Is(unicode.Cf, r):
			// Format characters (soft hyphen, joiners, direction marks) are invisible: they
			// neither belong to a word nor separate words.
		case isWordRune(r):
			if d := norm.NFKD.PropertiesString(s[i:]).Decomposition(); d != nil {
				for _, e := range string(d) {
					t.rune(e)
				}
			} else {
				t.rune(r)
			}
		default:
			t.separator(r)
		}
		i += n
	}
	t.endWord()
}

// separator ends the word being built at r, a rune between words, which a verbatim
// tokenizer keeps.
func (t *tokenizer) separator(r rune) {
	t.endWord()
	if t.verbatim {
		t.buf = utf8.AppendRune(t.buf, r)
	}
}

// foldText returns s folded as words are for terms — case, diacritics, apostrophes inside a
// word and a final possessive gone, digits of any script as ASCII — but unstemmed, with what
// separates words kept as it was: the text a regular expression query is matched against
// (see query_regex.go). A word of the result tokenizes to the term the same word of s does.
func foldText(s string) string {
	t := tokenizer{verbatim: true, buf: make([]byte, 0, len(s))}
	t.text(s)
	return string(t.buf)
}

// apostrophe handles an apostrophe that ends just before s[j:] and returns where to continue.
func (t *tokenizer) apostrophe(s string, j int) int {
	r, n := utf8.DecodeRuneInString(s[j:])
	if !t.inWord || !isLetterOrDigit(r) {
		t.endWord()
		return j
	}
	if r == 's' || r == 'S' {
		if next, _ := utf8.DecodeRuneInString(s[j+n:]); !isWordRune(next) {
			t.endWord() // possessive 's: dropped
			return j + n
		}
	}
	return j // inside a word: dropped, the word goes on
}

// rune adds one decomposed rune of a word rune.
func (t *tokenizer) rune(r rune) {
	switch {
	case r < utf8.RuneSelf:
		switch {
		case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
			t.ascii(byte(r))
		case 'A' <= r && r <= 'Z':
			t.ascii(byte(r) + 'a' - 'A')
		default:
			t.endWord()
		}
	case r == runeTatweel || r == runeMiddot || isApostrophe(r):
		// Dropped without ending the word.
	case unicode.IsLetter(r):
		t.letter(unicode.ToLower(r))
	case unicode.IsDigit(r):
		t.ascii('0' + digitValue(r))
	case unicode.IsMark(r):
		t.mark(r)
	default:
		t.endWord()
	}
}

// ascii adds a lowercase ASCII letter or digit.
func (t *tokenizer) ascii(c byte) {
	if t.continua {
		t.endWord()
	}
	if !t.inWord {
		t.beginWord()
	}
	t.buf = append(t.buf, c)
	t.last = rune(c)
	t.dropMarks = true
	if c <= '9' {
		t.digits = true
	} else {
		t.script = mergeScript(t.script, scriptLatin)
	}
}

// letter adds a lowercase non-ASCII letter.
func (t *tokenizer) letter(r rune) {
	if f, ok := letterFolds[r]; ok {
		for _, e := range f {
			if e < utf8.RuneSelf {
				t.ascii(byte(e))
			} else {
				t.letter(e)
			}
		}
		return
	}
	c := classifyLetter(r)
	if t.continua || c.continua {
		t.endWord()
	}
	if !t.inWord {
		t.beginWord()
	}
	t.buf = utf8.AppendRune(t.buf, r)
	t.last = r
	t.dropMarks = c.dropMarks
	t.continua = c.continua
	t.script = mergeScript(t.script, c.script)
}

// mark adds a combining mark.
func (t *tokenizer) mark(r rune) {
	if !t.inWord {
		return // a mark with nothing to combine with
	}
	if t.dropMarks || unicode.Is(unicode.Variation_Selector, r) {
		// Diacritics go, except that the breve keeps Cyrillic й and ў distinct from и and у.
		if r == runeBreve && (t.last == 'и' || t.last == 'у') {
			t.buf = t.buf[:len(t.buf)-utf8.RuneLen(t.last)]
			if t.last == 'и' {
				t.last = 'й'
			} else {
				t.last = 'ў'
			}
			t.buf = utf8.AppendRune(t.buf, t.last)
		}
		return
	}
	t.buf = utf8.AppendRune(t.buf, r)
}

// beginWord starts a word at the end of the buffer.
func (t *tokenizer) beginWord() {
	t.inWord = true
	t.start = len(t.buf)
	t.last = 0
	t.script = scriptNone
	t.digits = false
	t.continua = false
}

// endWord finishes the word being built, if any, stems it and records it as a term.
func (t *tokenizer) endWord() {
	if !t.inWord {
		return
	}
	t.inWord = false
	t.continua = false
	sc := t.script
	if t.digits {
		sc = scriptNone // "1990s", "f16s": not a word a stemmer knows
	}
	if !t.verbatim {
		stem := stemWord(t.buf[t.start:], sc)
		t.buf = append(t.buf[:t.start], stem...)
	}
	t.spans = append(t.spans, termSpan{start: int32(t.start), end: int32(len(t.buf)), pos: t.pos})
	t.pos++
}
