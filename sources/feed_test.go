package sources

import (
	"strings"
	"testing"
	"time"
)

func TestParseFeedFixtures(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		wants []feedWant
	}{
		{
			name: "RSS: HTML descriptions, missing GUID, missing link, missing date, content:encoded",
			file: "feed_rss.xml",
			wants: []feedWant{
				{
					id: "gazette-2024-11-03-0001", at: "2024-11-03 00:30",
					title: "Harbour wall & promenade damaged by storm",
					url:   "https://gazette.example.com/news/harbour-wall",
					body: []string{
						"A section of the harbour wall collapsed overnight.",
						"The council said repairs would take weeks.",
						"The promenade is closed.",
					},
				},
				{
					id: "https://gazette.example.com/news/ferry-apology", at: "2024-11-02 21:15",
					title: "Ferry company apologises for cancellations",
					url:   "https://gazette.example.com/news/ferry-apology",
					body:  []string{"The operator said safety came first – refunds will be automatic."},
				},
				{
					id: hashID("rss", "Lifeboat volunteers thanked", "2024-11-02T18:00:00Z"), at: "2024-11-02 18:00",
					title: "Lifeboat volunteers thanked",
					body:  []string{"The mayor thanked the crew of the Gullhaven lifeboat.", "A reception is planned."},
				},
				{
					// No date of its own: the feed's lastBuildDate.
					id: "https://gazette.example.com/tides", at: "2024-11-03 02:00",
					title: "Tide tables for the week",
					url:   "https://gazette.example.com/tides",
					body:  []string{"Monday", "High water at 06:12 and 18:40.", "Spring tide", "Surge risk: low"},
				},
			},
		},
		{
			name: "Atom: HTML title and content, updated only, no link, no date",
			file: "feed_atom.xml",
			wants: []feedWant{
				{
					id: "tag:count.example.net,2024:westbrook", at: "2024-07-05 01:15",
					title: "Westbrook: Independents hold",
					url:   "https://count.example.net/wards/westbrook",
					body:  []string{"Ana Müller held the seat with a majority of 312.", "Turnout was 39%."},
				},
				{
					id: "tag:count.example.net,2024:hollins", at: "2024-07-04 22:50",
					title: "Hollins Ward declares first",
					url:   "https://count.example.net/wards/hollins",
					body:  []string{"The Green Coalition took the seat from the Civic Party."},
				},
				{
					id: "tag:count.example.net,2024:observers", at: "2024-07-05 01:40",
					title: "Count centres open to observers",
					body:  []string{"Accredited observers may attend."},
				},
			},
		},
		{
			name: "JSON Feed: content_html, content_text paragraphs, missing id, no date anywhere",
			file: "feed_json.json",
			wants: []feedWant{
				{
					id: "river-2024-03-10-ferry", at: "2024-03-10 00:25",
					title: "River ferry resumes",
					url:   "https://river.example.org/posts/ferry",
					body:  []string{"The ferry resumed at dawn.", "Timetables are online."},
				},
				{
					id: "https://river.example.org/posts/ice-jam", at: "2024-03-09 20:40",
					title: "Ice jam upstream",
					url:   "https://river.example.org/posts/ice-jam",
					body:  []string{"An ice jam formed upstream.", "The emergency service is monitoring it."},
				},
				{
					id: "river-notice", at: "",
					title: "Notice & reminder",
					body:  []string{"Stay off the ice."},
				},
			},
		},
		{
			name: "windows-1251 declared in the XML declaration",
			file: "feed_cp1251.xml",
			wants: []feedWant{
				{
					id: "vesti-parom-2024-03-10", at: "2024-03-10 00:25",
					title: "Паром через Ветлу снова ходит",
					url:   "https://vesti.example.ru/news/parom",
					body:  []string{"Паром возобновил работу на рассвете.", "Расписание прежнее."},
				},
				{
					id: "vesti-zator-2024-03-09", at: "2024-03-09 20:40",
					title: "Затор льда выше по течению",
					url:   "https://vesti.example.ru/news/zator",
					body:  []string{"Служба спасения следит за уровнем воды."},
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			source := "rss"
			got, err := parseFeed(source, readFixture(t, tt.file), feedOptions{})
			if err != nil {
				t.Fatal(err)
			}
			checkFeedEntries(t, source, got, tt.wants)
		})
	}
}

// feedWant is what a test expects of one feed entry.
type feedWant struct {
	id, at, title, url string // at: UTC "2006-01-02 15:04", "" for a zero time
	body               []string
}

func checkFeedEntries(t *testing.T, source string, got []Entry, wants []feedWant) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("got %d entries, want %d", len(got), len(wants))
	}
	for i, w := range wants {
		e := got[i]
		if e.ID != w.id {
			t.Errorf("entry %d: id %q, want %q", i, e.ID, w.id)
		}
		at := ""
		if !e.Published.IsZero() {
			at = e.Published.Format("2006-01-02 15:04")
		}
		if at != w.at {
			t.Errorf("entry %d: published %q, want %q", i, at, w.at)
		}
		if e.Title != w.title {
			t.Errorf("entry %d: title %q, want %q", i, e.Title, w.title)
		}
		if e.URL != w.url {
			t.Errorf("entry %d: url %q, want %q", i, e.URL, w.url)
		}
		if strings.Join(e.Body, "\n") != strings.Join(w.body, "\n") {
			t.Errorf("entry %d: body %q, want %q", i, e.Body, w.body)
		}
	}
	checkInvariants(t, source, got)
}

func TestParseFeedDuplicateIDs(t *testing.T) {
	// Items that share an id but not their content are kept, each with an id of its own.
	item := func(text string) string {
		return `<item><title>Same</title><guid>g-1</guid><pubDate>Sat, 02 Nov 2024 18:00:00 GMT</pubDate><description>` + text + `</description></item>`
	}
	body := `<rss version="2.0"><channel><title>t</title>` + item("a") + item("b") + item("c") +
		`<item><title>No guid</title><description>a</description></item><item><title>No guid</title><description>b</description></item></channel></rss>`
	got, err := parseFeed("dups", []byte(body), feedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	noGUID := hashID("dups", "No guid", "")
	wantIDs := []string{"g-1~3", "g-1~2", "g-1", noGUID + "~2", noGUID}
	if len(got) != len(wantIDs) {
		t.Fatalf("got %d entries, want %d", len(got), len(wantIDs))
	}
	for i, e := range got {
		if e.ID != wantIDs[i] {
			t.Errorf("entry %d: id %q, want %q", i, e.ID, wantIDs[i])
		}
		if !e.Published.IsZero() && e.Published.Location() != time.UTC {
			t.Errorf("entry %d: not UTC", i)
		}
	}
}

func TestParseFeedErrors(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		{name: "empty", body: ""},
		{name: "plain text", body: "1200 GMT — not a feed"},
		{name: "HTML", body: "<!DOCTYPE html><html><body><p>hi</p></body></html>"},
		{name: "broken JSON", body: `{"version": "https://jsonfeed.org/version/1.1", "items": [`},
		{name: "JSON array", body: `[1, 2, 3]`},
		{name: "other XML", body: `<?xml version="1.0"?><urlset><url/></urlset>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseFeed("bad", []byte(tt.body), feedOptions{})
			if err == nil {
				t.Fatalf("no error; got %d entries", len(got))
			}
			if !strings.HasPrefix(err.Error(), `sources: feed "bad": `) {
				t.Errorf("error %q lacks its origin", err)
			}
		})
	}
}

func TestMarkupParagraphs(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"plain", "  one   line  ", []string{"one line"}},
		{"plain with blank lines", "a\nb\n\n c \n", []string{"a b", "c"}},
		{"plain lines", "a\nb", []string{"a", "b"}},
		{"entities only", "Tom &amp; Jerry &#8211; &quot;x&quot;", []string{`Tom & Jerry – "x"`}},
		{"less-than sign is not a tag", "rain < 5mm & wind > 3", []string{"rain < 5mm & wind > 3"}},
		{"paragraphs", "<p>a</p><p>b <b>c</b></p>", []string{"a", "b c"}},
		{"br", "a<br>b<br/><br />c", []string{"a", "b", "c"}},
		{"inline stays in a paragraph", "x <a href='#'>y</a>, <em>z</em>.", []string{"x y, z."}},
		{"dropped elements", "<script>var a=1;</script><style>p{}</style><p>kept</p><noscript>no</noscript>", []string{"kept"}},
		{"lists and headings", "<h2>H</h2><ul><li>1</li><li>2</li></ul>", []string{"H", "1", "2"}},
		{"comment", "a<!-- hidden -->b", []string{"ab"}},
		{"unclosed", "<div><p>a<p>b", []string{"a", "b"}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := markupParagraphs(tt.in)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestHTMLDeepNesting(t *testing.T) {
	// Deeper than x/net/html's tree builder allows: the token reader takes over.
	deep := strings.Repeat("<div><span>", 5000) + "deep <b>text</b><script>x()</script>" +
		strings.Repeat("</span></div>", 5000) + "<p>after</p>"
	if got := htmlParagraphs(deep); strings.Join(got, "|") != "deep text|after" {
		t.Errorf("htmlParagraphs: got %q", got)
	}
	if got := string(htmlPageText([]byte("<html><body>" + deep))); got != "deep text\nafter" {
		t.Errorf("htmlPageText: got %q", got)
	}
}
