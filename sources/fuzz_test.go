package sources

import (
	"testing"
	"time"
)

// Seeds come from our own fixtures only: a failing input found by the fuzzer is written to
// testdata/fuzz, and the shared corpus must never be copied into the repository.

func FuzzParseLiveBlogText(f *testing.F) {
	for _, name := range []string{"liveblog_storm.txt", "liveblog_election_bst.txt", "liveblog_nodate_msk.txt"} {
		f.Add(readFixture(f, name), false)
	}
	f.Add([]byte("Lead\nMore updates 👇\n0100 GMT — a\n2359 GMT — b\n5 January 2024\n1200 +14:00 — c"), true)
	f.Add([]byte("1200 GMT —\n\n1200 GMT — \n"), false)
	fallback := time.Date(2024, 1, 5, 12, 0, 0, 0, time.FixedZone("X", -11*3600))
	f.Fuzz(func(t *testing.T, text []byte, noFallback bool) {
		opts := TextOptions{PageURL: "https://example.org/live", FallbackDate: fallback}
		if noFallback {
			opts.FallbackDate = time.Time{}
		}
		entries, err := ParseLiveBlogText("fuzz", text, opts)
		if err != nil {
			return
		}
		seen := make(map[string]bool, len(entries))
		for i, e := range entries {
			if e.ID == "" {
				t.Fatalf("entry %d: empty id", i)
			}
			if seen[e.ID] {
				t.Fatalf("entry %d: id %s repeated", i, e.ID)
			}
			seen[e.ID] = true
			if e.Published.IsZero() || e.Published.Location() != time.UTC {
				t.Fatalf("entry %d: time %v is not a UTC time", i, e.Published)
			}
			if e.Title == "" {
				t.Fatalf("entry %d: no title", i)
			}
			for _, p := range e.Body {
				if p == "" {
					t.Fatalf("entry %d: empty paragraph", i)
				}
			}
			if e.Hash != ContentHash(e.Title, e.Body) {
				t.Fatalf("entry %d: wrong hash", i)
			}
		}
	})
}

func FuzzParseFeed(f *testing.F) {
	for _, name := range []string{"feed_rss.xml", "feed_atom.xml", "feed_json.json", "feed_cp1251.xml"} {
		f.Add(readFixture(f, name))
	}
	f.Add([]byte(`<rss><channel><item><title><![CDATA[<p>x</p>]]></title></item><item/></channel></rss>`))
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1","items":[{"id":"1"},{"id":"1"},null]}`))
	f.Add([]byte(`<rss><channel><item><guid>g</guid><description>&lt;p&gt;x&lt;time datetime="2018-01-31T20:13:54Z"&gt;8pm&lt;/time&gt;&lt;p&gt;a&lt;/p&gt;&lt;time datetime="2018-01-31T20:13:54Z"&gt;&lt;/time&gt;b</description></item></channel></rss>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		entries, err := parseFeed("fuzz", body, feedOptions{SplitLiveBlogItems: len(body)%2 == 0})
		if err != nil {
			return
		}
		seen := make(map[string]bool, len(entries))
		for i, e := range entries {
			if e.ID == "" || seen[e.ID] {
				t.Fatalf("entry %d: id %q empty or repeated", i, e.ID)
			}
			seen[e.ID] = true
			if !e.Published.IsZero() && e.Published.Location() != time.UTC {
				t.Fatalf("entry %d: time %v is not UTC", i, e.Published)
			}
			for _, p := range e.Body {
				if p == "" {
					t.Fatalf("entry %d: empty paragraph", i)
				}
			}
		}
	})
}

// FuzzParse drives detection, charset conversion and HTML extraction.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"liveblog_page.html", "feed_cp1251.xml", "liveblog_storm.txt", "feed_json.json"} {
		f.Add(readFixture(f, name), "")
	}
	f.Add([]byte("\xff\xfe1\x002\x00"), "text/plain; charset=utf-16le")
	f.Add([]byte(`<meta charset="koi8-r"><article><p>1200 GMT — x</p></article>`), "text/html")
	src := Source{Name: "fuzz", URL: "https://example.org/x"}
	date := time.Date(2024, 1, 5, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		entries, format, err := parseEntries(src, Response{Body: body, ContentType: contentType, Date: date})
		if err != nil {
			return
		}
		if format != FormatFeed && format != FormatLiveBlog {
			t.Fatalf("format %q", format)
		}
		for i, e := range entries {
			if e.ID == "" || e.Source != "fuzz" {
				t.Fatalf("entry %d: %+v", i, e)
			}
		}
	})
}
