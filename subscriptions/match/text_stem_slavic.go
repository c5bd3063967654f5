package match

import (
	"strings"
	"unicode/utf8"

	"github.com/kljensen/snowball/russian"
)

// stemCyrillic returns the stem of a normalised Cyrillic word: Ukrainian when it has a letter
// Russian lacks (і, є, ґ — ї arrives here as і, its diaeresis dropped like every diacritic),
// Russian otherwise, so that Белгород, Белгороде and Белгородской all stem to белгород…,
// and Бєлгород, Бєлгороді, Бєлгородської to бєлгород…. ё arrives as е (its diaeresis is
// dropped by normalisation), so ёлка and елка are one word.
//
// Snowball stemmers are not idempotent on every word (киеве → киев → кие), which stemWord's
// contract requires, so the stemmer is applied again while it changes the word and leaves at
// least three letters: киев and киеве both end at кие. Whether to go on depends only on the
// word at hand, so stemming a stem goes nowhere; each step removes a suffix, so this ends.
//
// A Ukrainian stem may have lost its Ukrainian letters (області → област); it then goes on
// through the Russian stemmer, so that stemming it again, as Russian, changes nothing.
func stemCyrillic(w []byte) []byte {
	const ukrainianLetters = "ієґ"
	s := string(w)
	if strings.ContainsAny(s, ukrainianLetters) {
		s = stemRepeatedly(s, stemUkrainian)
	}
	if !strings.ContainsAny(s, ukrainianLetters) {
		s = stemRepeatedly(s, stemRussian)
	}
	return append(w[:0], s...)
}

// stemRepeatedly applies stem while it changes s and leaves at least three letters.
func stemRepeatedly(s string, stem func(string) string) string {
	for {
		next := stem(s)
		if next == s || utf8.RuneCountInString(next) < 3 {
			return s
		}
		s = next
	}
}

// stemRussian is the Snowball Russian stemmer (stop words, such as и, не, в, are kept as
// they are), which then also removes the adjective suffix -ск- when four letters remain:
// Snowball stems белгородской to белгородск, and a reader following Белгород wants
// "Белгородской области" too (Смоленск and смоленский meet at смолен likewise).
func stemRussian(s string) string {
	s = russian.Stem(s, false)
	if rest, ok := strings.CutSuffix(s, "ск"); ok && utf8.RuneCountInString(rest) >= 4 {
		return rest
	}
	return s
}

// ukrainianEndings are the inflectional endings of Ukrainian nouns and adjectives, longest
// first, spelt as normalisation leaves them (ї as і). Snowball has no Ukrainian stemmer; this light stemmer removes one ending, so that
// the cases of a place name or noun meet at one stem (Бєлгород, Бєлгорода, Бєлгороді;
// області, область; бєлгородської, бєлгородська). Verbs are left to chance. Immutable.
var ukrainianEndings = []string{
	"ськими", "ського", "ському", "ською", "ських", "ським", "ській", "ськоі", "ська", "ське", "ські", "ський",
	"ами", "ями", "ові", "еві", "єві", "ого", "ому", "ими", "ій", "ий", "оі", "ою", "ею", "єю",
	"ах", "ях", "ів", "ям", "ам", "ом", "ем", "єм", "ім", "их", "им", "ей",
	"а", "я", "і", "у", "ю", "о", "е", "є", "и", "ь",
}

// stemUkrainian removes the longest Ukrainian ending that leaves at least three letters; an
// adjective's -ськ- suffix goes with its ending, so бєлгородської meets бєлгород.
func stemUkrainian(s string) string {
	for _, e := range ukrainianEndings {
		if rest, ok := strings.CutSuffix(s, e); ok && utf8.RuneCountInString(rest) >= 3 {
			return rest
		}
	}
	return s
}
