package sources

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The fixture flattens its categories, drops the second outline with an address already
// seen, makes a repeated name unique and reads each format.
func TestParseOPMLFixture(t *testing.T) {
	t.Parallel()
	f, err := os.Open(filepath.Join("testdata", "sources.opml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := ParseOPML(f)
	if err != nil {
		t.Fatal(err)
	}
	want := []OPMLSource{
		{"Укрінформ — Головне", "https://www.ukrinform.ua/rss/block-lastnews", FormatFeed},
		{"Live: війна, день 1105", "https://example.org/uk/live/2025-03-03", FormatLiveBlog},
		{"Новости", "https://meduza.example/rss/all", FormatFeed},
		{"Wire & Co", "https://wire.example.com/feed.xml", FormatFeed},
		{"укрінформ — головне (2)", "https://www.ukrinform.ua/rss/en", FormatFeed},
		{"Channel", "@vvgladkov", FormatTelegram},
		{"Ticker", "https://ticker.example.net/live", FormatAuto},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
}

func TestParseOPMLErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc, want string
	}{
		{"not XML", "this is not opml", "opml: EOF"},
		{"unclosed", `<opml version="2.0"><body><outline text="a" xmlUrl="u">`, "opml: line 1: unexpected EOF"},
		{"another root", `<rss version="2.0"></rss>`, "expected element type <opml>"},
		{"too large", `<opml><body>` + strings.Repeat(" ", MaxOPMLSize) + `</body></opml>`, "opml: larger than 1048576 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseOPML(strings.NewReader(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to hold %q", err, tt.want)
			}
		})
	}
}

// A document in another encoding is read through its declaration.
func TestParseOPMLCharset(t *testing.T) {
	t.Parallel()
	doc := []byte("<?xml version=\"1.0\" encoding=\"windows-1251\"?>\n<opml><body><outline text=\"\xcd\xee\xe2\xee\xf1\xf2\xe8\" xmlUrl=\"https://x.example/rss\"/></body></opml>")
	got, err := ParseOPML(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Name != "Новости" {
		t.Fatalf("got %q, want one source named Новости", got)
	}
}

// What WriteOPML writes, ParseOPML reads back the same, whatever the names hold.
func TestOPMLRoundTrip(t *testing.T) {
	t.Parallel()
	srcs := []OPMLSource{
		{"Feed <&> \"quoted\"", "https://a.example/feed?x=1&y=2", FormatFeed},
		{"Живий блог", "https://b.example/live", FormatLiveBlog},
		{"Page", "https://c.example/", FormatAuto},
		{"JSON-LD", "https://d.example/", FormatJSONLD},
		{"Channel", "@vvgladkov", FormatTelegram},
	}
	var buf bytes.Buffer
	if err := WriteOPML(&buf, "Sources & more", srcs); err != nil {
		t.Fatal(err)
	}
	got, err := ParseOPML(&buf)
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if !reflect.DeepEqual(got, srcs) {
		t.Fatalf("got\n%q\nwant\n%q", got, srcs)
	}
}

func FuzzParseOPML(f *testing.F) {
	f.Add(readFixture(f, "sources.opml"))
	f.Add([]byte(`<opml><body><outline xmlUrl="u"><outline url=" u "/></outline></body></opml>`))
	f.Add([]byte(`<opml><body><outline text="a" url="x"/><outline text="A" url="y"/><outline text="a (2)" url="z"/></body></opml>`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		srcs, err := ParseOPML(bytes.NewReader(doc))
		if err != nil {
			return
		}
		urls, names := map[string]bool{}, map[string]bool{}
		for i, s := range srcs {
			if s.URL == "" || s.Name == "" || s.Format == "" {
				t.Fatalf("source %d: %q has an empty field", i, s)
			}
			if urls[s.URL] {
				t.Fatalf("source %d: url %q repeated", i, s.URL)
			}
			urls[s.URL] = true
			if names[strings.ToLower(s.Name)] {
				t.Fatalf("source %d: name %q repeated", i, s.Name)
			}
			names[strings.ToLower(s.Name)] = true
		}
	})
}
