package sources

import (
	"testing"
	"time"
)

func BenchmarkParseLiveBlogText(b *testing.B) {
	inputs := []struct{ name, file string }{
		{"corpus-trt", ""},
		{"fixture-storm", "liveblog_storm.txt"},
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			var text []byte
			if in.file == "" {
				text = corpusFile(b, "trtworld-liveblog-2024-01-05.txt")
			} else {
				text = readFixture(b, in.file)
			}
			opts := TextOptions{FallbackDate: time.Date(2024, 1, 5, 19, 0, 0, 0, time.UTC)}
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseLiveBlogText("bench", text, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParseFeed(b *testing.B) {
	body := corpusFile(b, "bbc_rss_2024-08-08_from_js_literal.xml")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseFeed("bench", body, feedOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseJSONLDMirror reads the Mirror's 428-update LiveBlogPosting. Target: under
// 20 ms per op.
func BenchmarkParseJSONLDMirror(b *testing.B) {
	body := corpusFile(b, "mirror_uk-riots_liveblog_2024-08-05_jsonld_LiveBlogPosting.json")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		res, err := parseJSONLD("bench", [][]byte{body}, jsonLDOptions{})
		if err != nil {
			b.Fatal(err)
		}
		n = len(res.Entries)
	}
	b.ReportMetric(float64(n), "entries/op")
}

// BenchmarkParsePageExpress is a whole HTML page through format auto: charset, the tree,
// JSON-LD.
func BenchmarkParsePageExpress(b *testing.B) {
	body := corpusFile(b, "express_liveblog_2024-07-18_full.html")
	src := Source{Name: "bench"}
	resp := Response{Body: body, ContentType: "text/html; charset=utf-8", URL: "https://www.express.co.uk/news/royal/1924698/x"}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParsePage(src, resp); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseSelectorsExpress reads the same page with the example's selectors.
func BenchmarkParseSelectorsExpress(b *testing.B) {
	body := corpusFile(b, "express_liveblog_2024-07-18_full.html")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseSelectors("bench", body, expressSelectors, selectorOptions{PageURL: expressURL}); err != nil {
			b.Fatal(err)
		}
	}
}
