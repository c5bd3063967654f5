package sources

import (
	"strings"
	"testing"
)

func TestStableGUID(t *testing.T) {
	tests := []struct{ guid, want string }{
		{"https://www.bbc.com/news/articles/cz074vyvjzvo#0", "https://www.bbc.com/news/articles/cz074vyvjzvo"},
		{"https://www.bbc.com/news/articles/cz074vyvjzvo#12", "https://www.bbc.com/news/articles/cz074vyvjzvo"},
		{"https://www.aljazeera.com/?t=1738882009", ""},
		{"https://example.org?id=7", ""},
		{"https://example.org/live#post-3", "https://example.org/live#post-3"},
		{"https://example.org/story?id=7", "https://example.org/story?id=7"},
		{"tag:example.org,2024:1", "tag:example.org,2024:1"},
		{"  g-1  ", "g-1"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.guid, func(t *testing.T) {
			if got := stableGUID(tt.guid); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// A BBC story republished as "#1" keeps its id; Al Jazeera's timestamp GUIDs give way to
// the link.
func TestFeedUnstableGUIDs(t *testing.T) {
	feed := func(bbcRev, ajTime string) []byte {
		return []byte(`<rss version="2.0"><channel><title>x</title>` +
			`<item><title>Story</title><link>https://www.bbc.com/news/articles/abc?at_medium=RSS</link>` +
			`<guid isPermaLink="false">https://www.bbc.com/news/articles/abc#` + bbcRev + `</guid></item>` +
			`<item><title>Match</title><link>https://www.aljazeera.com/sports/2025/2/6/match?traffic_source=rss</link>` +
			`<guid isPermaLink="false">https://www.aljazeera.com/?t=` + ajTime + `</guid></item>` +
			`</channel></rss>`)
	}
	before, err := parseFeed("f", feed("0", "1738882009"), feedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	after, err := parseFeed("f", feed("1", "1738890000"), feedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range before {
		if before[i].ID != after[i].ID {
			t.Errorf("item %d: id %q became %q", i, before[i].ID, after[i].ID)
		}
	}
	if before[0].ID != "https://www.bbc.com/news/articles/abc" || before[1].ID != "https://www.aljazeera.com/sports/2025/2/6/match?traffic_source=rss" {
		t.Errorf("ids %q, %q", before[0].ID, before[1].ID)
	}
}

func TestCorpusFeedGUIDs(t *testing.T) {
	bbc, err := parseFeed("bbc", corpusFile(t, "bbc_rss_2024-08-08_from_js_literal.xml"), feedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range bbc {
		if strings.Contains(e.ID, "#") {
			t.Errorf("bbc item %d: id %q keeps its revision", i, e.ID)
		}
	}
	aj, err := parseFeed("aj", corpusFile(t, "aljazeera_rss_all_xml_2025-02-06_head_snippet.xml"), feedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range aj {
		if e.ID != e.URL || !strings.Contains(e.ID, "/2025/2/6/") {
			t.Errorf("al jazeera item %d: id %q, link %q", i, e.ID, e.URL)
		}
	}
}

// A feed that lists one story twice — the BBC lists an old revision ("#0") beside the new
// one ("#10"), or the same item in two sections — gives one entry for it, the newest
// revision, where the first listing stands: a second entry would be a second alert.
func TestFeedStoryListedTwice(t *testing.T) {
	item := func(title, link, guid string) string {
		return `<item><title>` + title + `</title><link>` + link + `</link>` +
			`<guid isPermaLink="false">` + guid + `</guid><description>Text.</description></item>`
	}
	const a, b = "https://www.bbc.com/news/articles/a", "https://www.bbc.com/news/articles/b"
	body := []byte(`<rss version="2.0"><channel><title>x</title>` +
		item("Old headline", a, a+"#2") +
		item("Other story", b, b+"#0") +
		item("New headline", a, a+"#10") +
		item("Other story", b, b+"#0") +
		item("Same id, another link", a+"/photos", a+"#3") +
		`</channel></rss>`)
	got, err := parseFeed("bbc", body, feedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var titles, ids []string
	for _, e := range got {
		titles, ids = append(titles, e.Title), append(ids, e.ID)
	}
	wantTitles := []string{"New headline", "Other story", "Same id, another link"}
	wantIDs := []string{a + "~2", b, a}
	if strings.Join(titles, "|") != strings.Join(wantTitles, "|") || strings.Join(ids, "|") != strings.Join(wantIDs, "|") {
		t.Fatalf("titles %q ids %q; want %q %q", titles, ids, wantTitles, wantIDs)
	}
}

func TestCorpusBBCListsEachStoryOnce(t *testing.T) {
	bbc, err := parseFeed("bbc", corpusFile(t, "bbc_rss_2024-08-08_from_js_literal.xml"), feedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range bbc {
		if strings.Contains(e.ID, "~") {
			t.Errorf("bbc item %d (%q): id %q: the story is listed twice", i, e.Title, e.ID)
		}
	}
}
