package render

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFitParagraphs(t *testing.T) {
	tests := []struct {
		name       string
		paragraphs []string
		budget     int
		want       string
	}{
		{"all fit", []string{"One.", "Two."}, 20, "One.\n\nTwo."},
		{"whole paragraphs, then an ellipsis", []string{"First paragraph.", "Second one is far too long for it."}, 30, "First paragraph.\n\n…"},
		{"blank paragraphs skipped", []string{" ", "Only this."}, 20, "Only this."},
		{"first too long: cut after a sentence", []string{"The wall held. Then the water rose over the road"}, 30, "The wall held. …"},
		{"no sentence end: cut at a word", []string{"the storm surge topped the wall"}, 20, "the storm surge…"},
		{"no spaces: cut between characters", []string{strings.Repeat("ж", 30)}, 10, strings.Repeat("ж", 9) + "…"},
		{"emoji counted as two and never split", []string{strings.Repeat("🌊", 10)}, 7, "🌊🌊🌊…"},
		{"nothing", nil, 10, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fitParagraphs(tt.paragraphs, tt.budget)
			if got != tt.want {
				t.Fatalf("fitParagraphs(%q, %d) = %q, want %q", tt.paragraphs, tt.budget, got, tt.want)
			}
			if n := Length(got); n > tt.budget {
				t.Fatalf("%d UTF-16 units, over the budget %d", n, tt.budget)
			}
			if !utf8.ValidString(got) {
				t.Fatal("cut inside a character")
			}
		})
	}
}

func TestHighlight(t *testing.T) {
	terms := map[string]bool{"drone": true, "kyiv": true, "sea": true}
	tests := []struct {
		name, text, want string
	}{
		{"plural and case folded", "Drones over the Sea", "<u>Drones</u> over the <u>Sea</u>"},
		{"possessive", "Kyiv's air defence", "<u>Kyiv&#39;s</u> air defence"},
		{"escaped around", "<drone> & co", "&lt;<u>drone</u>&gt; &amp; co"},
		{"part of a longer word is not a match", "seawall", "seawall"},
		{"no terms", "a < b", "a &lt; b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := highlight(tt.text, terms); got != tt.want {
				t.Fatalf("highlight(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}
