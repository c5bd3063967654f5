package match

import (
	"slices"
	"testing"
	"unicode"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"diacritics", "Türkiye", []string{"turkiye"}},
		{"plain", "Turkiye", []string{"turkiye"}},
		{"case", "TÜRKIYE türkiye", []string{"turkiye", "turkiye"}},
		{"possessive", "Belgorod's", []string{"belgorod"}},
		{"possessive typographic", "Kyiv’s", []string{"kyiv"}},
		{"possessive capitals", "KYIV'S forces", []string{"kyiv", "force"}},
		{"plural possessive", "drones’ range", []string{"drone", "range"}},
		{"contraction", "can't", []string{"cant"}},
		{"in-word apostrophe", "O'Brien ʼs", []string{"obrien", "s"}},
		{"quoted", "'ready'", []string{"ready"}},
		{"punctuation inside", "Shahed-136/131", []string{"shahed", "136", "131"}},
		{"acronym plural", "UAVs", []string{"uav"}},
		{"plural", "drones", []string{"drone"}},
		{"no plural", "ceasefire", []string{"ceasefire"}},
		{"phrase", "unmanned aerial vehicles", []string{"unmanned", "aerial", "vehicle"}},
		{"plural ies", "cities", []string{"city"}},
		{"plural ces", "defences", []string{"defence"}},
		{"plural ks", "talks", []string{"talk"}},
		{"short words kept", "gas bus its", []string{"gas", "bus", "its"}},
		{"ss us is kept", "press virus crisis", []string{"press", "virus", "crisis"}},
		{"exceptions", "news Hamas Houthis", []string{"news", "hamas", "houthi"}},
		{"cyrillic", "Белгород БЕЛГОРОД", []string{"белгород", "белгород"}},
		{"cyrillic yo", "Ёлка ёлка елка", []string{"елк", "елк", "елк"}},
		{"cyrillic short i kept", "Йошкар-Ола и й", []string{"йошкар", "ола", "и", "й"}},
		{"cyrillic short i decomposed", "и\u0306", []string{"й"}},
		{"ukrainian", "Київ Ґ", []string{"киів", "ґ"}},
		{"russian plural", "дроны дронов дрон", []string{"дрон", "дрон", "дрон"}},
		{"russian cases of a place", "Белгород Белгороде Белгородской области", []string{"белгород", "белгород", "белгород", "област"}},
		{"russian stem not over-stemmed", "Киев Киеве", []string{"киев", "киев"}},
		{"russian stop word kept", "и не в", []string{"и", "не", "в"}},
		{"ukrainian cases of a place", "Бєлгород Бєлгороді Бєлгородської області", []string{"бєлгород", "бєлгород", "бєлгород", "област"}},
		{"ukrainian stem then russian", "області", []string{"област"}},
		{"mixed scripts", "Kiev Київ Kyiv", []string{"kiev", "киів", "kyiv"}},
		{"homoglyph mix is one word", "Kиев", []string{"kиев"}},
		{"emoji", "More updates 👇 🇺🇦❤️", []string{"more", "update"}},
		{"emoji glued", "drones🔥attack", []string{"drone", "attack"}},
		{"arabic", "مرحبا بالعالم", []string{"مرحبا", "بالعالم"}},
		{"arabic hamza and harakat", "أَحْمَد", []string{"احمد"}},
		{"arabic digits", "٢٠٢٤", []string{"2024"}},
		{"rtl marks", "\u200fمرحبا\u200f 29", []string{"مرحبا", "29"}},
		{"digits", "29 drones in 2024", []string{"29", "drone", "in", "2024"}},
		{"digits with letters", "5G F-16s 1990s", []string{"5g", "f", "16s", "1990s"}},
		{"thousands", "1,000", []string{"1", "000"}},
		{"dotted I", "İstanbul", []string{"istanbul"}},
		{"stroke letters", "Łódź Ørsted", []string{"lodz", "orsted"}},
		{"sharp s", "Straße STRASSE", []string{"strass", "strass"}},
		{"greek final sigma", "Σίσυφος σίσυφοσ", []string{"σισυφοσ", "σισυφοσ"}},
		{"compatibility forms", "ﬁre ＡＢＣ", []string{"fire", "abc"}},
		{"symbols separate", "x² Apple™ ½", []string{"x", "apple"}},
		{"soft hyphen joins", "Bel\u00adgorod", []string{"belgorod"}},
		{"zero-width space separates", "Bel\u200bgorod", []string{"bel", "gorod"}},
		{"han one term per letter", "北京欢迎你", []string{"北", "京", "欢", "迎", "你"}},
		{"han after latin", "iPhone手机", []string{"iphone", "手", "机"}},
		{"katakana voiced forms", "ガ ｶﾞ", []string{"カ\u3099", "カ\u3099"}},
		{"devanagari marks kept", "क्षत्रिय कषतरय", []string{"क्षत्रिय", "कषतरय"}},
		{"thai one term per letter", "ไทย", []string{"ไ", "ท", "ย"}},
		{"invalid utf-8", "a\xffb", []string{"a", "b"}},
		{"empty", "", []string{}},
		{"only punctuation", " — ... !!! ", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tokenTerms(tt.text)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Tokenize(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestTokenizePositions(t *testing.T) {
	got := Tokenize("Shahed-136/131, launched")
	want := []Token{{"shahed", 0}, {"136", 1}, {"131", 2}, {"launched", 3}}
	if !slices.Equal(got, want) {
		t.Errorf("Tokenize = %v, want %v", got, want)
	}
}

func TestStemEnglish(t *testing.T) {
	tests := []struct{ word, want string }{
		{"drones", "drone"}, {"uavs", "uav"}, {"missiles", "missile"}, {"cities", "city"},
		{"defences", "defence"}, {"talks", "talk"}, {"classes", "class"}, {"launches", "launch"},
		{"crashes", "crash"}, {"taxes", "tax"}, {"ties", "tie"}, {"allies", "ally"},
		{"avalanches", "avalanch"}, {"avalanche", "avalanch"}, {"impasse", "impass"},
		{"impasses", "impass"}, {"gas", "gas"}, {"bus", "bus"}, {"its", "its"},
		{"press", "press"}, {"virus", "virus"}, {"crisis", "crisis"}, {"paris", "paris"},
		{"news", "news"}, {"series", "series"}, {"hamas", "hamas"}, {"israelis", "israeli"},
		{"drone", "drone"}, {"city", "city"}, {"class", "class"}, {"launch", "launch"},
		{"buses", "bus"}, {"viruses", "virus"}, {"campuses", "campus"}, {"bonuses", "bonus"},
		{"cause", "caus"}, {"causes", "caus"}, {"house", "hous"}, {"houses", "hous"},
		{"use", "use"}, {"uses", "use"}, {"fuse", "fus"}, {"fuses", "fus"},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			got := string(stemEnglish([]byte(tt.word)))
			if got != tt.want {
				t.Errorf("stemEnglish(%q) = %q, want %q", tt.word, got, tt.want)
			}
			if again := string(stemEnglish([]byte(got))); again != got {
				t.Errorf("stemEnglish is not idempotent: %q → %q → %q", tt.word, got, again)
			}
		})
	}
	for k, v := range stemExceptions {
		if got := string(stemEnglish([]byte(v))); got != v {
			t.Errorf("exception %q → %q is not a fixed point: %q", k, v, got)
		}
	}
}

// TestDigitTable checks digitValue's assumption: unicode.Nd is made of runs of ten digits.
func TestDigitTable(t *testing.T) {
	for _, rg := range unicode.Nd.R16 {
		if rg.Stride != 1 || (rg.Hi-rg.Lo+1)%10 != 0 {
			t.Errorf("Nd range %+v is not made of runs of ten", rg)
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if rg.Stride != 1 || (rg.Hi-rg.Lo+1)%10 != 0 {
			t.Errorf("Nd range %+v is not made of runs of ten", rg)
		}
	}
	if got := tokenTerms("٠١٢٣٤٥٦٧٨٩ ０９ ߀߉ 𝟘𝟡"); !slices.Equal(got, []string{"0123456789", "09", "09", "09"}) {
		t.Errorf("digits fold to %q", got)
	}
}

// TestTokenizeIdempotentEveryRune checks, for every letter and digit of Unicode alone and
// followed by each kind of combining mark, that the terms it gives tokenize to themselves:
// normalisation is a projection, so canonical queries (made of terms) re-parse identically.
func TestTokenizeIdempotentEveryRune(t *testing.T) {
	suffixes := []string{"", "\u0301", "\u0306", "\u0308\u0306", "\u093f", "\u0654", "\ufe0f", "s", "'s"}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			continue
		}
		for _, suf := range suffixes {
			for _, term := range tokenTerms(string(r) + suf) {
				if again := tokenTerms(term); len(again) != 1 || again[0] != term {
					t.Fatalf("%U%+q: term %q tokenizes to %q", r, suf, term, again)
				}
			}
		}
	}
}
