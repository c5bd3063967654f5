package sources

import (
	"strings"
	"testing"
	"time"
)

// expressSelectors are the selectors config.example.yaml gives for the Express live blog.
var expressSelectors = Selectors{
	Entry:         "div.live-events__entry",
	Title:         ".live-events__entry-head",
	TimeAttr:      "data-sort-time",
	TimeLayout:    "unix",
	Body:          ".live-events__entry-text",
	PermalinkAttr: "id",
}

const expressURL = "https://www.express.co.uk/news/royal/1924698/prince-harry-meghan-markle-live-grifters"

func TestCorpusMirrorJSONLD(t *testing.T) {
	body := corpusFile(t, "mirror_uk-riots_liveblog_2024-08-05_jsonld_LiveBlogPosting.json")
	res, err := parseJSONLD("mirror", [][]byte{body}, jsonLDOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := res.Entries
	if len(got) != 428 || !res.PerUpdateTimes || res.Postings != 1 {
		t.Fatalf("%d entries, per-update times %v, %d postings; want 428, true, 1", len(got), res.PerUpdateTimes, res.Postings)
	}
	checkInvariants(t, "mirror", got)
	first := time.Date(2024, 8, 5, 20, 0, 18, 921e6, time.UTC) // 21:00:18.921+01:00
	last := time.Date(2024, 8, 2, 17, 42, 0, 475e6, time.UTC)  // 18:42:00.475+01:00
	if !got[0].Published.Equal(first) || !got[427].Published.Equal(last) {
		t.Errorf("first %v, last %v; want %v, %v", got[0].Published, got[427].Published, first, last)
	}
	if got[0].Title != "Loud bang heard at Plymouth scene" {
		t.Errorf("first title %q", got[0].Title)
	}
	if got[0].URL != "https://www.mirror.co.uk/news/uk-news/uk-riots-live-hotel-rotherham-33386398#751105" {
		t.Errorf("first url %q", got[0].URL)
	}
	if !strings.Contains(got[0].FirstParagraph(), `"loud bang"`) {
		t.Errorf("entities not decoded: %q", got[0].FirstParagraph())
	}
	for i, e := range got {
		if i > 0 && e.Published.After(got[i-1].Published) {
			t.Errorf("entry %d (%v) is newer than entry %d (%v)", i, e.Published, i-1, got[i-1].Published)
		}
		if !strings.Contains(e.URL, "#") {
			t.Errorf("entry %d: url %q is not a permalink", i, e.URL)
		}
		if strings.Contains(e.Title, "&quot;") || strings.Contains(e.Title, "&#") ||
			strings.Contains(strings.Join(e.Body, " "), "&quot;") {
			t.Errorf("entry %d: entity left in %q", i, e.Title)
		}
	}
}

func TestCorpusGuardianJSONLD(t *testing.T) {
	body := corpusFile(t, "guardian_liveblog_2021-02-19_jsonld_LiveBlogPosting.json")
	res, err := parseJSONLD("guardian", [][]byte{body}, jsonLDOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Entries) != 13 {
		t.Fatalf("%d entries, want 13", len(res.Entries))
	}
	if res.PerUpdateTimes {
		t.Error("every update carries the page's datePublished, yet PerUpdateTimes is true")
	}
	checkInvariants(t, "guardian", res.Entries)
	for i, e := range res.Entries {
		if !e.Published.IsZero() {
			t.Errorf("entry %d: published %v, want zero (the JSON-LD has no per-update time)", i, e.Published)
		}
		// The page's headline stands only for an update with no text of its own.
		if strings.HasPrefix(e.Title, "Nasa scientists release new images") != (i == 12) {
			t.Errorf("entry %d: title %q", i, e.Title)
		}
		if e.URL != "" {
			t.Errorf("entry %d: url %q from a block id", i, e.URL)
		}
	}
	// Through ParsePage the operator is told.
	r, err := ParsePage(Source{Name: "guardian"}, Response{Body: body, ContentType: "application/ld+json"})
	if err != nil || r.Format != FormatJSONLD || len(r.Entries) != 13 {
		t.Fatalf("ParsePage: %d entries, format %q, error %v", len(r.Entries), r.Format, err)
	}
	if len(r.Notes) == 0 || !strings.Contains(r.Notes[0], "do not carry their own times") {
		t.Errorf("notes %q", r.Notes)
	}
}

func TestCorpusExpressJSONLDAndMarkupAgree(t *testing.T) {
	page := corpusFile(t, "express_liveblog_2024-07-18_full.html")
	auto, err := ParsePage(Source{Name: "express"}, Response{Body: page, ContentType: "text/html", URL: expressURL + "?utm=x"})
	if err != nil {
		t.Fatal(err)
	}
	if auto.Format != FormatJSONLD || len(auto.Entries) != 9 || len(auto.Notes) != 0 {
		t.Fatalf("auto: format %q, %d entries, notes %q; want jsonld, 9, none", auto.Format, len(auto.Entries), auto.Notes)
	}
	markup, err := parseSelectors("express", page, expressSelectors, selectorOptions{PageURL: expressURL + "?utm=x"})
	if err != nil {
		t.Fatal(err)
	}
	if len(markup) != 9 {
		t.Fatalf("markup: %d entries, want 9", len(markup))
	}
	checkInvariants(t, "express", auto.Entries)
	checkInvariants(t, "express", markup)
	for i, j := range auto.Entries {
		m := markup[i]
		if j.ID != m.ID || !j.Published.Equal(m.Published) || j.Title != m.Title || j.URL != m.URL {
			t.Errorf("entry %d differs:\njson-ld %s %v %q %s\nmarkup  %s %v %q %s", i,
				j.ID, j.Published, j.Title, j.URL, m.ID, m.Published, m.Title, m.URL)
		}
		if len(m.Body) == 0 || len(j.Body) == 0 || firstWords(m.Body[0], 5) != firstWords(j.Body[0], 5) {
			t.Errorf("entry %d: bodies start %q and %q", i, firstWords(j.FirstParagraph(), 5), firstWords(m.FirstParagraph(), 5))
		}
	}
	if got := auto.Entries[0].Published; !got.Equal(time.Date(2024, 7, 18, 10, 48, 0, 0, time.UTC)) {
		t.Errorf("first update at %v, want 10:48 UTC", got)
	}
	if got := auto.Entries[8].Published; !got.Equal(time.Date(2024, 7, 18, 6, 6, 0, 0, time.UTC)) {
		t.Errorf("last update at %v, want 06:06 UTC", got)
	}
	if got := auto.Entries[0].URL; got != expressURL+"#live-1924698-qq0im" {
		t.Errorf("first permalink %q", got)
	}
	// With format selectors the markup is read.
	viaParse, err := ParsePage(Source{Name: "express", Format: FormatSelectors, Selectors: &expressSelectors},
		Response{Body: page, URL: expressURL})
	if err != nil || viaParse.Format != FormatSelectors || len(viaParse.Entries) != 9 {
		t.Errorf("format selectors: %d entries, format %q, error %v", len(viaParse.Entries), viaParse.Format, err)
	}
}

func TestCorpusGuardianRSSSplit(t *testing.T) {
	body := corpusFile(t, "guardian_front_rss_2018-01-31_with_liveblog_items.xml")
	whole, err := parseFeed("guardian", body, feedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	split, err := parseFeed("guardian", body, feedOptions{SplitLiveBlogItems: true})
	if err != nil {
		t.Fatal(err)
	}
	live := 0
	for _, e := range whole {
		if strings.Contains(e.URL, "/live/") {
			live++
		}
	}
	if live != 2 {
		t.Errorf("%d live-blog items, want 2", live)
	}
	// Two live-blog items, each with two <time datetime> blocks: 55 - 2 + 4.
	if len(whole) != 55 || len(split) != 57 {
		t.Fatalf("%d items whole, %d split; want 55, 57", len(whole), len(split))
	}
	checkInvariants(t, "guardian", split)
	var blocks []Entry
	for _, e := range split {
		if strings.Contains(e.URL, "/live/") {
			blocks = append(blocks, e)
		}
	}
	if len(blocks) != 4 {
		t.Fatalf("%d live-blog blocks, want 4", len(blocks))
	}
	b := blocks[0]
	if !b.Published.Equal(time.Date(2018, 1, 31, 20, 13, 54, 493e6, time.UTC)) || !strings.HasPrefix(b.Title, "13 min:") {
		t.Errorf("first block %v %q", b.Published, b.Title)
	}
	for _, b := range blocks {
		if strings.Contains(b.Title, "Continue reading") || strings.Contains(strings.Join(b.Body, " "), "Continue reading") {
			t.Errorf("block %q keeps the Continue reading link", b.Title)
		}
	}
}

// firstWords returns the first n words of s.
func firstWords(s string, n int) string {
	f := strings.Fields(s)
	return strings.Join(f[:min(n, len(f))], " ")
}

func TestCorpusNYTimesHasALiveItem(t *testing.T) {
	got, err := parseFeed("nyt", corpusFile(t, "nytimes_rss_2024-08-08_from_js_literal.xml"), feedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	live := 0
	for _, e := range got {
		if strings.Contains(e.URL, "/live/") {
			live++
		}
	}
	if live == 0 {
		t.Error("no /live/ item")
	}
}
