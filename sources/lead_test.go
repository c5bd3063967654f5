package sources

import (
	"slices"
	"strings"
	"testing"
)

func TestLeadTitle(t *testing.T) {
	long := strings.Repeat("word ", 40) // 200 runes, no sentence
	tests := []struct {
		name      string
		paras     []string
		wantTitle string
		wantBody  []string
	}{
		{"none", nil, "", nil},
		{"short first paragraph", []string{"Touchdown confirmed.", "More soon."}, "Touchdown confirmed.", []string{"More soon."}},
		{
			"long paragraph: its first sentence",
			[]string{"13 min: The impressive Lingard bursts down the inside-left channel. " + long, "Next."},
			"13 min: The impressive Lingard bursts down the inside-left channel.",
			[]string{strings.TrimSpace(long), "Next."},
		},
		{
			"a first sentence too short to be a title",
			[]string{"Update: " + long},
			strings.TrimSpace("Update: "+strings.Repeat("word ", 30)) + "…",
			[]string{"Update: " + long},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			title, body := leadTitle(tt.paras)
			if title != tt.wantTitle || !slices.Equal(body, tt.wantBody) {
				t.Errorf("got %q %q\nwant %q %q", title, body, tt.wantTitle, tt.wantBody)
			}
		})
	}
}
