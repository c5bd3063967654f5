package sources

import "testing"

func TestCleanLine(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"clean", "1418 GMT — Talks resume", "1418 GMT — Talks resume"},
		{"empty", "", ""},
		{"ends trimmed", "  a b\t", "a b"},
		{"runs collapsed", "a  \t b", "a b"},
		{"no-break and ideographic spaces", "a\u00a0b\u3000c\u0085d", "a b c d"},
		{"zero-width space", "Türk\u200biye", "Türkiye"},
		{"word joiner", "a\u2060b", "ab"},
		{"byte-order mark", "\ufeffFriday, January 5, 2024", "Friday, January 5, 2024"},
		{"only invisible", "\u200b \ufeff", ""},
		{"non-ASCII, clean", "Паром через Ветлу", "Паром через Ветлу"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cleanLine(tt.in); got != tt.want {
				t.Errorf("cleanLine(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
