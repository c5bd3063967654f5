package match

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzTokenize checks the tokenizer's contract on any text: terms are non-empty valid UTF-8
// without separators, positions count from 0, every term tokenizes back to itself (so a
// query's canonical text, made of terms, parses back to the same terms), and a document built
// from the text finds each of its terms.
func FuzzTokenize(f *testing.F) {
	for _, s := range []string{
		"", "Türkiye 'ready' to hold Russia-Ukraine peace talks", "Belgorod's Kyiv’s can't",
		"Shahed-136/131 UAVs", "Белгород ЙОШКАР-ОЛА ёлка Київ", "北京欢迎你 ドローン ｶﾞ",
		"مرحبا بالعالم أحمد ١٢٣", "İstanbul Łódź Straße ŉ ﷺ", "e\u0301\u0306 и\u0306 😀\u200d👍",
		"soft\u00adhyphen zero\u200bwidth", "cities classes avalanches news", "\xff\xfe'", "'s's''s",
		"देवनागरी क्षत्रिय ไทย", "x² ½ ① Ⅻ ﬁre ＡＢＣ",
		"Белгородской области Бєлгородської області Києві Харкові беспилотников ракетами",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		toks := Tokenize(text)
		for i, tk := range toks {
			if tk.Pos != i {
				t.Fatalf("token %d has position %d", i, tk.Pos)
			}
			if tk.Term == "" || !utf8.ValidString(tk.Term) || strings.ContainsAny(tk.Term, " *\"'") {
				t.Fatalf("bad term %q", tk.Term)
			}
			if again := tokenTerms(tk.Term); len(again) != 1 || again[0] != tk.Term {
				t.Fatalf("term %q (from %q) tokenizes to %q", tk.Term, text, again)
			}
		}
		d := NewDocument(text, []string{text})
		for _, tk := range toks {
			if d.title.find(tk.Term) < 0 || d.body.find(tk.Term) < 0 {
				t.Fatalf("document of %q lacks term %q", text, tk.Term)
			}
		}
	})
}
