package sources

import (
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

func TestParseDetection(t *testing.T) {
	latin1, err := charmap.ISO8859_1.NewEncoder().String(`<rss version="2.0"><channel><title>c</title>` +
		`<item><title>Café crème à la carte</title><guid>x</guid></item></channel></rss>`)
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(
		"Friday, January 5, 2024\n1200 GMT — Zoë’s update\nBody.")
	if err != nil {
		t.Fatal(err)
	}
	cp1251HTML, err := charmap.Windows1251.NewEncoder().String(`<html><head><meta charset="windows-1251">` +
		`</head><body><p>5 January 2024</p><p>1200 MSK — Паром ходит</p><p>Да.</p></body></html>`)
	if err != nil {
		t.Fatal(err)
	}
	date := time.Date(2024, 1, 5, 13, 0, 0, 0, time.UTC)

	tests := []struct {
		name        string
		format      Format
		contentType string
		body        []byte
		wantFormat  Format
		wantTitles  []string // first titles, in order
		wantErr     error    // errors.Is target; nil: no error expected unless wantAnyErr
		wantAnyErr  bool
	}{
		{
			name: "RSS, no content type", body: readFixture(t, "feed_rss.xml"),
			wantFormat: FormatFeed, wantTitles: []string{"Harbour wall & promenade damaged by storm"},
		},
		{
			name: "RSS served as text/html", contentType: "text/html; charset=utf-8", body: readFixture(t, "feed_rss.xml"),
			wantFormat: FormatFeed, wantTitles: []string{"Harbour wall & promenade damaged by storm"},
		},
		{
			name: "Atom by content type", contentType: "application/atom+xml", body: readFixture(t, "feed_atom.xml"),
			wantFormat: FormatFeed, wantTitles: []string{"Westbrook: Independents hold"},
		},
		{
			name: "JSON Feed served as application/json", contentType: "application/json", body: readFixture(t, "feed_json.json"),
			wantFormat: FormatFeed, wantTitles: []string{"River ferry resumes"},
		},
		{
			name: "windows-1251 RSS, declared in XML only", body: readFixture(t, "feed_cp1251.xml"),
			wantFormat: FormatFeed, wantTitles: []string{"Паром через Ветлу снова ходит"},
		},
		{
			name: "ISO-8859-1 RSS, declared in Content-Type only", contentType: "application/rss+xml; charset=ISO-8859-1",
			body: []byte(latin1), wantFormat: FormatFeed, wantTitles: []string{"Café crème à la carte"},
		},
		{
			name: "live blog text/plain", contentType: "text/plain; charset=utf-8", body: readFixture(t, "liveblog_storm.txt"),
			wantFormat: FormatLiveBlog,
			wantTitles: []string{"Storm Brigid makes landfall on the Saltmarsh coast", "Coastguard rescues four from stranded trawler"},
		},
		{
			name: "live blog text without a date line: Response.Date dates it", body: page("1230 GMT — Noon update"),
			wantFormat: FormatLiveBlog, wantTitles: []string{"Noon update"},
		},
		{
			name: "UTF-16 with BOM", body: []byte(utf16),
			wantFormat: FormatLiveBlog, wantTitles: []string{"Zoë’s update"},
		},
		{
			name: "UTF-8 BOM", body: append([]byte("\xEF\xBB\xBF"), page("January 5, 2024", "1200 GMT — With BOM")...),
			wantFormat: FormatLiveBlog, wantTitles: []string{"With BOM"},
		},
		{
			name: "no declaration, not UTF-8: windows-1252", body: []byte("January 5, 2024\n1200 GMT \x96 Caf\xe9 reopens"),
			wantFormat: FormatLiveBlog, wantTitles: []string{"Café reopens"},
		},
		{
			name: "HTML page: article text", contentType: "text/html", body: readFixture(t, "liveblog_page.html"),
			wantFormat: FormatLiveBlog,
			wantTitles: []string{"Fireworks cancelled because of high winds", "Crowds gather on the quay"},
		},
		{
			name: "HTML page in windows-1251 declared by meta", body: []byte(cp1251HTML),
			wantFormat: FormatLiveBlog, wantTitles: []string{"Паром ходит"},
		},
		{
			name: "explicit live blog wins over detection", format: FormatLiveBlog, body: readFixture(t, "feed_rss.xml"),
			wantFormat: FormatLiveBlog, wantTitles: []string{},
		},
		{
			name: "explicit feed on text", format: FormatFeed, body: readFixture(t, "liveblog_storm.txt"),
			wantAnyErr: true,
		},
		{
			name: "binary", body: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), contentType: "image/png",
			wantErr: ErrUnsupportedFormat,
		},
		{
			name: "JSON that is not a feed", contentType: "application/json", body: []byte(`{"items": []}`),
			wantErr: ErrUnsupportedFormat,
		},
		{
			name: "XML that is not a feed", contentType: "application/xml", body: []byte(`<?xml version="1.0"?><urlset/>`),
			wantErr: ErrUnsupportedFormat,
		},
		{
			name: "unknown format", format: Format("yaml"), body: []byte("a: b"),
			wantErr: ErrUnsupportedFormat,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := Source{Name: "detect", URL: "https://example.org/page", Format: tt.format}
			got, format, err := parseEntries(src, Response{Body: tt.body, ContentType: tt.contentType, Date: date})
			if tt.wantErr != nil || tt.wantAnyErr {
				if err == nil {
					t.Fatalf("no error; format %q, %d entries", format, len(got))
				}
				if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
					t.Fatalf("error %v, want %v", err, tt.wantErr)
				}
				if !strings.HasPrefix(err.Error(), "sources: ") {
					t.Errorf("error %q lacks its origin", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if format != tt.wantFormat {
				t.Errorf("format %q, want %q", format, tt.wantFormat)
			}
			if len(got) < len(tt.wantTitles) || (len(tt.wantTitles) == 0 && len(got) != 0) {
				t.Fatalf("got %d entries, want at least %d", len(got), len(tt.wantTitles))
			}
			for i, title := range tt.wantTitles {
				if got[i].Title != title {
					t.Errorf("entry %d: title %q, want %q", i, got[i].Title, title)
				}
			}
			checkInvariants(t, "detect", got)
		})
	}
}

func TestParseUsesResponseDate(t *testing.T) {
	resp := Response{Body: page("2330 GMT — Late"), Date: time.Date(2024, 1, 6, 0, 10, 0, 0, time.UTC)}
	got, _, err := parseEntries(Source{Name: "d"}, resp)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[0].Published.Equal(time.Date(2024, 1, 5, 23, 30, 0, 0, time.UTC)) {
		t.Fatalf("got %+v", got)
	}
}

func TestParseNotModified(t *testing.T) {
	if _, _, err := parseEntries(Source{Name: "nm"}, Response{NotModified: true}); err == nil {
		t.Fatal("no error for a not-modified response")
	}
}

func TestToUTF8(t *testing.T) {
	tests := []struct {
		name        string
		body        string
		contentType string
		want        string
	}{
		{"UTF-8 as is", "héllo", "", "héllo"},
		{"UTF-8 BOM removed", "\xEF\xBB\xBFhéllo", "", "héllo"},
		{"content type wins over the XML declaration", "<?xml version=\"1.0\" encoding=\"windows-1251\"?><a>caf\xe9</a>",
			"text/xml; charset=iso-8859-1", `<?xml version="1.0" encoding="UTF-8"?><a>café</a>`},
		{"XML declaration rewritten", "<?xml version='1.0' encoding='koi8-r'?><a>\xf0\xd2\xc9</a>", "",
			`<?xml version='1.0' encoding='UTF-8'?><a>При</a>`},
		{"meta charset", `<html><meta charset="windows-1251"><p>` + "\xcf\xf0\xe8" + `</p>`, "",
			`<html><meta charset="windows-1251"><p>При</p>`},
		{"meta http-equiv", `<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-2">` + "\xb3", "",
			`<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-2">ł`},
		{"unknown label ignored", "héllo", "text/plain; charset=x-unknown", "héllo"},
		{"declared UTF-8 but invalid", "ok \xff", "text/plain; charset=utf-8", "ok \uFFFD"},
		{"UTF-16 declared in an ASCII body is UTF-8", `<meta charset="utf-16">ok`, "", `<meta charset="utf-16">ok`},
		{"invalid, undeclared: windows-1252", "\x93quoted\x94", "", "“quoted”"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(toUTF8([]byte(tt.body), tt.contentType)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
