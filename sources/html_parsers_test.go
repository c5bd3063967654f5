package sources

import (
	"strings"
	"testing"
	"time"
)

func TestParsePageHTMLFixtures(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		file        string
		contentType string
		src         Source
		format      Format
		wants       []want
		note        string // a note that must be among the result's notes; "" for no notes
	}{
		{
			name:   "json-ld: @graph, @type array, entities, offsets, relative fragment url, bad script skipped",
			file:   "jsonld_graph.html",
			src:    Source{Name: "floods", URL: "https://news.example.org/live/valley-floods?src=rss"},
			format: FormatJSONLD,
			wants: []want{
				{at: "2024-03-10 11:20", title: "River crests at 6.2 metres & still rising",
					body: []string{"The gauge at Millbridge read 6.2 m at noon.", `Officials said the peak was "hours away".`},
					url:  "https://news.example.org/live/valley-floods?src=rss#post-3"},
				{at: "2024-03-10 09:05", title: "Schools closed", body: []string{"All schools in the district are shut today.", "Buses are not running."},
					url: "https://news.example.org/live/valley-floods#post-2"},
				{at: "2024-03-10 06:45", title: "Good morning – we are following the floods as they happen."},
			},
		},
		{
			name:        "json-ld file: array, blogPosts object, @value, updates under mainEntity, dateCreated",
			file:        "jsonld_blogposts.json",
			contentType: "application/ld+json",
			src:         Source{Name: "election"},
			format:      FormatJSONLD,
			wants: []want{
				{at: "2024-07-04 21:00", title: "Polls close", body: []string{"Voting has ended across the country."}},
				{at: "2024-07-04 23:31", title: "First result declared", body: []string{"Blyth and Ashington declared first."}},
			},
		},
		{
			name: "same datePublished on every update: the markup's times, read with selectors",
			file: "jsonld_same_date.html",
			src: Source{Name: "rover", URL: "https://news.example.org/live/rover", Selectors: &Selectors{
				Entry: "article.block", Time: "time", TimeAttr: "datetime", Body: "p:not(.meta)", PermalinkAttr: "id",
			}},
			format: FormatSelectors,
			note:   "do not carry their own times",
			wants: []want{
				{at: "2021-02-19 19:30", title: "That is all for today.", url: "https://news.example.org/live/rover#block-b3"},
				{at: "2021-02-19 18:02", title: "First colour picture released.", body: []string{"It shows the rover's wheel."},
					url: "https://news.example.org/live/rover#block-b2"},
				{at: "2021-02-19 17:55", title: "Touchdown confirmed.", url: "https://news.example.org/live/rover#block-b1"},
			},
		},
		{
			name:   "same datePublished, no selectors: paragraph mode finds nothing, JSON-LD undated and said so",
			file:   "jsonld_same_date.html",
			src:    Source{Name: "rover", URL: "https://news.example.org/live/rover"},
			format: FormatJSONLD,
			note:   "dated when first seen",
			wants: []want{
				{at: "0001-01-01 00:00", title: "That is all for today."},
				{at: "0001-01-01 00:00", title: "First colour picture released."},
				{at: "0001-01-01 00:00", title: "Touchdown confirmed."},
			},
		},
		{
			name: "selectors: time as text with a layout in a zone, windows-1252 from meta, permalink href",
			file: "selectors_text_time.html",
			src: Source{Name: "riots", URL: "https://news.example.org/live/riots", Format: FormatSelectors, Selectors: &Selectors{
				Entry: "#feed .post", Title: "h2", Time: ".stamp", TimeLayout: "2 Jan 2006 15:04", TimeZone: london,
				Body: ".text", Permalink: "a.share",
			}},
			format: FormatSelectors,
			wants: []want{
				{at: "2024-08-04 20:05", title: "Café owners sweep up glass",
					body: []string{"Owners of the café on Quay Street began clearing up.", "Police remain at the scene – for now."},
					url:  "https://news.example.org/live/riots?post=77#p77"},
				{at: "2024-08-04 18:40", title: "Crowd gathers", body: []string{"About 200 people gathered outside the hotel."},
					url: "https://news.example.org/live/riots?post=76#p76"},
			},
		},
		{
			name:   "paragraph mode with a container selector",
			file:   "liveblog_container.html",
			src:    Source{Name: "budget", Container: "div.live-feed"},
			format: FormatLiveBlog,
			wants: []want{
				{at: "2024-03-06 12:45", title: "Chancellor stands up", body: []string{"The statement has begun in the Commons."}},
				{at: "2024-03-06 11:30", title: "Cabinet meets", body: []string{"Ministers arrived at Downing Street."}},
			},
		},
		{
			name:   "paragraph mode, a container matching nested elements reads them once",
			file:   "liveblog_container.html",
			src:    Source{Name: "budget", Container: "div.live-feed, div.live-feed div"},
			format: FormatLiveBlog,
			wants: []want{
				{at: "2024-03-06 12:45", title: "Chancellor stands up", body: []string{"The statement has begun in the Commons."}},
				{at: "2024-03-06 11:30", title: "Cabinet meets", body: []string{"Ministers arrived at Downing Street."}},
			},
		},
		{
			name:   "paragraph mode, default container: the page's article",
			file:   "liveblog_container.html",
			src:    Source{Name: "budget"},
			format: FormatLiveBlog,
			wants: []want{
				{at: "2024-03-03 09:00", title: "A teaser from another day's blog", body: []string{"Not part of today's updates."}},
			},
		},
		{
			name:   "container that matches nothing",
			file:   "liveblog_container.html",
			src:    Source{Name: "budget", Container: "#nowhere"},
			format: FormatLiveBlog,
			note:   `the container "#nowhere" matched nothing`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct := tt.contentType
			if ct == "" {
				ct = "text/html"
			}
			r, err := ParsePage(tt.src, Response{Body: readFixture(t, tt.file), ContentType: ct, URL: tt.src.URL,
				Date: time.Date(2024, 3, 6, 18, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			if r.Format != tt.format {
				t.Errorf("format %q, want %q", r.Format, tt.format)
			}
			if tt.note == "" && len(r.Notes) > 0 {
				t.Errorf("notes %q, want none", r.Notes)
			}
			if tt.note != "" && !strings.Contains(strings.Join(r.Notes, "\n"), tt.note) {
				t.Errorf("notes %q, want one saying %q", r.Notes, tt.note)
			}
			checkEntries(t, tt.src.Name, r.Entries, tt.wants)
		})
	}
}

func TestStructuredIDs(t *testing.T) {
	page := string(readFixture(t, "jsonld_graph.html"))
	parse := func(page string) []Entry {
		t.Helper()
		r, err := ParsePage(Source{Name: "floods"}, Response{Body: []byte(page), URL: "https://news.example.org/live/valley-floods"})
		if err != nil || len(r.Entries) != 3 {
			t.Fatalf("%d entries, error %v", len(r.Entries), err)
		}
		return r.Entries
	}
	before := parse(page)
	// An edited headline and body keep the id of an update with a permalink and change its
	// hash; an update without one is known by its @id.
	edited := strings.Replace(page, "River crests at 6.2 metres", "River crests at 6.3 metres", 1)
	edited = strings.Replace(edited, "Good morning &#8211;", "Good morning,", 1)
	after := parse(edited)
	for i := range before {
		if before[i].ID != after[i].ID {
			t.Errorf("entry %d: id changed from %s to %s", i, before[i].ID, after[i].ID)
		}
	}
	if before[0].Hash == after[0].Hash || before[2].Hash == after[2].Hash {
		t.Error("edited entries kept their hash")
	}
	if before[1].Hash != after[1].Hash {
		t.Error("an untouched entry changed its hash")
	}
	// Another source, another id.
	r, _ := ParsePage(Source{Name: "other"}, Response{Body: []byte(page), URL: "https://news.example.org/live/valley-floods"})
	if r.Entries[0].ID == before[0].ID {
		t.Error("two sources share an id")
	}
}

func TestSelectorsCheck(t *testing.T) {
	tests := []struct {
		name string
		sel  Selectors
		want []string // substrings, one per problem
	}{
		{name: "good", sel: Selectors{Entry: "div.x", Title: "h2", TimeLayout: "2006-01-02 15:04"}},
		{name: "no entry", sel: Selectors{Title: "h2"}, want: []string{"entry: missing"}},
		{name: "bad selectors", sel: Selectors{Entry: "div[", Body: "p:nope"}, want: []string{"entry: ", "body: "}},
		{name: "bad layout", sel: Selectors{Entry: "div", TimeLayout: "hh:mm"}, want: []string{"time_layout: "}},
		{name: "layout with only a clock", sel: Selectors{Entry: "div", TimeLayout: "15:04"}, want: []string{"time_layout: \"15:04\" has no date"}},
		{name: "layout without a year", sel: Selectors{Entry: "div", TimeLayout: "2 Jan 15:04"}, want: []string{"time_layout: \"2 Jan 15:04\" has no date"}},
		{name: "layout with words and a full date", sel: Selectors{Entry: "div", TimeLayout: "Monday 2 January 2006, 3:04pm"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.sel.Check()
			if len(got) != len(tt.want) {
				t.Fatalf("problems %q, want %d", got, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("problem %q, want it to start %q", got[i], w)
				}
			}
		})
	}
}

func TestParseSchemaTime(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2024-08-05T21:00:18.921+01:00", "2024-08-05T20:00:18.921Z"},
		{"2024-08-05T20:00:18.921Z", "2024-08-05T20:00:18.921Z"},
		{"2021-02-19T19:41:53+0000", "2021-02-19T19:41:53Z"},
		{"2024-07-18T11:48", "2024-07-18T11:48:00Z"},
		{"2024-07-18T11:48+03:00", "2024-07-18T08:48:00Z"},
		{"2024-07-18", "2024-07-18T00:00:00Z"},
		{"yesterday", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseSchemaTime(tt.in)
			s := ""
			if ok {
				s = got.Format(time.RFC3339Nano)
			}
			if s != tt.want {
				t.Errorf("got %q, want %q", s, tt.want)
			}
		})
	}
}

// parseSelectors converts a page to UTF-8 itself, as its <meta> says.
func TestParseSelectorsCharset(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	got, err := parseSelectors("riots", readFixture(t, "selectors_text_time.html"), Selectors{
		Entry: "#feed .post", Title: "h2", Time: ".stamp", TimeLayout: "2 Jan 2006 15:04", TimeZone: london, Body: ".text",
	}, selectorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Body[1] != "Police remain at the scene – for now." {
		t.Fatalf("entries %+v", got)
	}
}
