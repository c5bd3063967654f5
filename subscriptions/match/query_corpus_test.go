package match

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// corpusEntry is one entry of a seed live blog.
type corpusEntry struct {
	time  string // "1841"
	title string
	body  []string
}

// corpusHeader is the first line of a live-blog entry: "1841 GMT — Title".
var corpusHeader = regexp.MustCompile(`^(\d{4}) GMT — (.+)$`)

// loadCorpusBlog splits a plain-text live blog of the shared corpus into entries, skipping the
// test when the corpus is absent.
func loadCorpusBlog(t testing.TB, name string) []corpusEntry {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		t.Skipf("corpus %s absent", dir)
	}
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	var entries []corpusEntry
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if m := corpusHeader.FindStringSubmatch(line); m != nil {
			entries = append(entries, corpusEntry{time: m[1], title: m[2]})
		} else if line != "" && len(entries) > 0 {
			e := &entries[len(entries)-1]
			e.body = append(e.body, line)
		}
	}
	return entries
}

// TestCorpusTRTWorld matches queries against the TRT World live blog of 5 January 2024. The
// expected entries come from reading the text.
func TestCorpusTRTWorld(t *testing.T) {
	entries := loadCorpusBlog(t, "trtworld-liveblog-2024-01-05.txt")
	if len(entries) != 9 {
		t.Fatalf("split into %d entries, want 9", len(entries))
	}
	docs := make([]*Document, len(entries))
	for i, e := range entries {
		docs[i] = NewDocument(e.title, e.body)
	}
	tests := []struct {
		query string
		want  []string // entry times, in blog order
	}{
		// 1448 and 1024 have "drones" in their titles; 2147's body says "drone attacks".
		{"drones", []string{"1448", "1024", "2147"}},
		{"drone", []string{"1448", "1024", "2147"}},
		{"title:drones", []string{"1448", "1024"}},
		// The lead (Russia's Belgorod region) and 2147 (Ukraine targets Belgorod).
		{"Belgorod", []string{"1409", "2147"}},
		{"belgorod's", []string{"1409", "2147"}},
		// 1841's title: Russia-Ukraine peace talks. Its body has "host talks to ensure peace".
		{`"peace talks"`, []string{"1841"}},
		{"peace talks", []string{"1841"}},
		{"Türkiye", []string{"1841"}},
		{"Turkiye", []string{"1841"}},
		{"Shahed-136", []string{"1024"}},
		{"UAV", []string{"1024"}},
		{`"unmanned aerial vehicle"`, []string{"1024"}},
		// Kiev and Kiev's, never Kyiv (absent) nor a longer word.
		{"Kiev", []string{"1409", "1418", "1024", "0848", "2147"}},
		{"Kyiv", nil},
		{`"North Korean"`, []string{"1418", "0848", "2155"}},
		{`"N Korean"`, []string{"2147"}},
		{`"North Korean" -title:"North Korean"`, []string{"0848"}},
		{"can't", []string{"0848"}},
		{"ceasefire", []string{"1841"}},
		{`"air defence"`, []string{"1448", "0724", "2147"}},
		{`"peace talks" OR ceasefire -Erdogan`, nil},
		{"missiles -(drones OR Korea*)", []string{"0724"}},
		{"Neptune | Suspilne", []string{"1448", "1418"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q, err := ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for i, d := range docs {
				if q.Match(d) {
					got = append(got, entries[i].time)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("%q (understood as %s) matches %v, want %v", tt.query, q, got, tt.want)
			}
		})
	}
}
