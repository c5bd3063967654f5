package match

import "unicode/utf8"

// stemWord returns the stem of a normalised word whose letters are all in script sc
// (scriptOther when they mix scripts, scriptNone when the word has digits). It is the one
// place where per-language stemming plugs in; documents and queries both go through it.
//
// Contract for every stemmer: the result is non-empty, made only of runes of the word's own
// kind (letters, digits, kept marks), and stemming is idempotent — stemWord(stemWord(w)) ==
// stemWord(w) — because a query's canonical text is made of stems and must parse back to the
// same stems. The result may alias w.
func stemWord(w []byte, sc textScript) []byte {
	switch sc {
	case scriptLatin:
		return stemEnglish(w)
	case scriptCyrillic:
		return stemCyrillic(w)
	}
	return w
}

// stemEnglish folds an English plural to its singular with a few conservative suffix rules:
//
//	drones → drone, UAVs → uav, cities → city, defences → defence, talks → talk,
//	classes → class, launches → launch, crashes → crash, taxes → tax, buses → bus
//
// Words of three letters or fewer and words ending in -ss, -us or -is are left alone (gas, bus,
// crisis, Paris); so are the words in stemExceptions. To keep a singular ending in -che, -sse
// or -use equal to its plural, it loses its final e (avalanche and avalanches → avalanch;
// cause and causes → caus, as bus and buses → bus). w is a lowercase Latin-script word; the
// result aliases it.
func stemEnglish(w []byte) []byte {
	if len(w) < 4 || w[len(w)-1] != 's' && w[len(w)-1] != 'e' {
		return w // only words ending in -s or -e change; a shorter one has ≤ 3 letters
	}
	n := utf8.RuneCount(w)
	if n <= 3 {
		return w
	}
	if w[len(w)-1] == 'e' {
		if endsWith(w, "sse") || endsWith(w, "che") || endsWith(w, "use") {
			return w[:len(w)-1]
		}
		return w
	}
	if s, ok := stemExceptions[string(w)]; ok {
		return append(w[:0], s...)
	}
	switch {
	case endsWith(w, "ss"), endsWith(w, "us"), endsWith(w, "is"):
		return w
	case endsWith(w, "sses"), endsWith(w, "ches"), endsWith(w, "shes"), endsWith(w, "xes"),
		n > 4 && endsWith(w, "uses"):
		return w[:len(w)-2]
	case endsWith(w, "ies"):
		if n > 4 {
			w[len(w)-3] = 'y'
			return w[:len(w)-2]
		}
		return w[:len(w)-1] // ties → tie
	}
	return w[:len(w)-1]
}

// endsWith reports whether w ends with suffix.
func endsWith(w []byte, suffix string) bool {
	return len(w) >= len(suffix) && string(w[len(w)-len(suffix):]) == suffix
}

// stemExceptions are words the rules of stemEnglish would get wrong, with their stems: words
// whose -s is not a plural and whose stem would collide with another word (news/new,
// Hamas/Hama, arms/arm), and plural demonyms in -is, common in the news, which the -is rule
// would keep apart from their singular. Every key ends in -s, and every value is a fixed
// point of stemEnglish. Immutable.
var stemExceptions = map[string]string{
	"news": "news", "series": "series", "species": "species", "hamas": "hamas", "arms": "arms",
	"israelis": "israeli", "houthis": "houthi", "iraqis": "iraqi", "pakistanis": "pakistani",
	"yemenis": "yemeni", "saudis": "saudi", "somalis": "somali", "qataris": "qatari",
	"emiratis": "emirati", "kuwaitis": "kuwaiti", "omanis": "omani", "bahrainis": "bahraini",
	"bangladeshis": "bangladeshi", "azeris": "azeri", "nepalis": "nepali",
	"kashmiris": "kashmiri", "sunnis": "sunni",
}
