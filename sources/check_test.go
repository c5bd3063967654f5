package sources

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

func TestCheckFindsTitleAndEntries(t *testing.T) {
	t.Parallel()
	channel, err := os.ReadFile("testdata/telegram_vvgladkov.html")
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string]struct{ contentType, body string }{
		"/feed": {"application/rss+xml", `<?xml version="1.0"?><rss version="2.0"><channel>
<title>  Kyiv   Independent live </title><link>https://example.org/</link>
<item><title>Drones over Kyiv</title><guid>a1</guid><pubDate>Mon, 03 Jun 2024 10:00:00 GMT</pubDate></item>
</channel></rss>`},
		"/channel": {"text/html; charset=utf-8", string(channel)},
		"/page": {"text/html", `<html><head><title>Plain title</title></head><body><article>
<p>10:00 GMT</p><p>Missiles hit the port.</p></article></body></html>`},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", p.contentType)
		w.Write([]byte(p.body))
	}))
	t.Cleanup(srv.Close)
	f := NewFetcher(FetcherOptions{})
	for _, tc := range []struct {
		path, title string
		format      Format
		entries     bool
	}{
		{"/feed", "Kyiv Independent live", FormatFeed, true},
		{"/channel", "Вячеслав Гладков", FormatTelegram, true},
		{"/page", "Plain title", "", false},
	} {
		c, err := Check(context.Background(), f, Source{Name: "check", URL: srv.URL + tc.path})
		if err != nil {
			t.Errorf("Check(%s): %v", tc.path, err)
			continue
		}
		if c.Title != tc.title {
			t.Errorf("Check(%s).Title = %q, want %q", tc.path, c.Title, tc.title)
		}
		if tc.format != "" && c.Format != tc.format {
			t.Errorf("Check(%s).Format = %s, want %s", tc.path, c.Format, tc.format)
		}
		if tc.entries && len(c.Entries) == 0 {
			t.Errorf("Check(%s) found no entries", tc.path)
		}
	}
	if _, err := Check(context.Background(), f, Source{Name: "check", URL: srv.URL + "/missing"}); err == nil {
		t.Error("Check of a 404 succeeded")
	}
}

// FuzzPageTitle: a title from any body is one line of at most maxTitleRunes runes, and
// reading it never panics.
func FuzzPageTitle(f *testing.F) {
	for _, s := range []string{
		`<html><head><title>Plain</title></head><body></body></html>`,
		`<meta property="og:title" content="  Channel   name "><title>x</title>`,
		`<title>a<title>b</title>`, `<title>` + "\n\n" + `</title>`, `<body><title>late</title>`,
		`<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title></channel></rss>`,
		`<rss><channel><title>` + "x\ny" + `</title>`, "\x00\xff<title", "",
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, body []byte, feed bool) {
		format := FormatLiveBlog
		if feed {
			format = FormatFeed
		}
		title := pageTitle(Response{Body: body, ContentType: "text/html"}, format)
		if n := len([]rune(title)); n > maxTitleRunes {
			t.Fatalf("title of %d runes", n)
		}
		if strings.ContainsAny(title, "\n\r\t") || title != strings.TrimSpace(title) {
			t.Fatalf("title %q is not one trimmed line", title)
		}
	})
}
