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
		if _, err := ParseFeed("bench", body); err != nil {
			b.Fatal(err)
		}
	}
}
