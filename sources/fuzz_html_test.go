package sources

import (
	"testing"
	"time"
)

// checkFuzzEntries checks what every entry of a structured parser must satisfy.
func checkFuzzEntries(t *testing.T, entries []Entry) {
	t.Helper()
	seen := make(map[string]bool, len(entries))
	for i, e := range entries {
		if e.ID == "" || seen[e.ID] {
			t.Fatalf("entry %d: id %q empty or repeated", i, e.ID)
		}
		seen[e.ID] = true
		if e.Title == "" {
			t.Fatalf("entry %d: no title", i)
		}
		if !e.Published.IsZero() && e.Published.Location() != time.UTC {
			t.Fatalf("entry %d: time %v is not UTC", i, e.Published)
		}
		for _, p := range e.Body {
			if p == "" || p != normalizeSpace(p) {
				t.Fatalf("entry %d: paragraph %q not normalised", i, p)
			}
		}
		if e.Hash != ContentHash(e.Title, e.Body) {
			t.Fatalf("entry %d: wrong hash", i)
		}
	}
}

func FuzzParseJSONLD(f *testing.F) {
	f.Add(readFixture(f, "jsonld_blogposts.json"))
	for _, name := range []string{"jsonld_graph.html", "jsonld_same_date.html"} {
		doc, _ := newPageParse(readFixture(f, name))
		for _, script := range doc {
			f.Add(script)
		}
	}
	f.Add([]byte(`{"@type":"LiveBlogPosting","liveBlogUpdate":{"headline":["a",{"@value":"b"}],"datePublished":7}}`))
	f.Add([]byte(`[[[[[[[[[[{"@type":"LiveBlogPosting","updates":[{"headline":"x"},{"headline":"x"}]}]]]]]]]]]]`))
	f.Add([]byte(`{"@graph":{"@type":"LiveBlogPosting"},"mainEntity":"https://x"}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		res, err := parseJSONLD("fuzz", [][]byte{doc}, jsonLDOptions{PageURL: "https://example.org/live"})
		if err != nil {
			return
		}
		if len(res.Entries) > 0 && res.Postings == 0 {
			t.Fatalf("%d entries without a posting", len(res.Entries))
		}
		checkFuzzEntries(t, res.Entries)
	})
}

func FuzzParseSelectors(f *testing.F) {
	for _, name := range []string{"selectors_text_time.html", "jsonld_same_date.html", "liveblog_page.html"} {
		f.Add(readFixture(f, name))
	}
	f.Add([]byte(`<div class="e" id="a"><h2>x</h2><time datetime="nope">1</time></div><div class="e" id="a"><h2>x</h2></div>`))
	sels := []Selectors{
		{Entry: ".post, .e, article", Title: "h2", Time: ".stamp", TimeLayout: "2 Jan 2006 15:04", Body: ".text", Permalink: "a"},
		{Entry: "article.block, div", Time: "time", TimeAttr: "datetime", Body: "p:not(.meta)", PermalinkAttr: "id"},
		{Entry: "div", TimeAttr: "data-sort-time", TimeLayout: "unix"},
	}
	f.Fuzz(func(t *testing.T, page []byte) {
		for _, sel := range sels {
			entries, err := parseSelectors("fuzz", page, sel, selectorOptions{PageURL: "https://example.org/live"})
			if err != nil {
				return
			}
			checkFuzzEntries(t, entries)
		}
	})
}

// newPageParse returns the JSON-LD scripts of an HTML page, for seeds.
func newPageParse(page []byte) ([][]byte, error) {
	p := pageParse{body: page, kind: kindHTML}
	doc := p.htmlDoc()
	if doc == nil {
		return nil, nil
	}
	return jsonLDScripts(doc), nil
}
