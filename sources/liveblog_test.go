package sources

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// want is what a test expects of one entry.
type want struct {
	at     string // UTC, "2006-01-02 15:04"
	title  string
	pinned bool
	body   []string
	url    string
}

// checkEntries compares entries with wants, and checks what every entry must satisfy.
func checkEntries(t *testing.T, source string, got []Entry, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		for i, e := range got {
			t.Logf("got[%d] %s %q pinned=%v body=%q", i, e.Published.Format(time.RFC3339), e.Title, e.Pinned, e.Body)
		}
		t.Fatalf("got %d entries, want %d", len(got), len(wants))
	}
	for i, w := range wants {
		e := got[i]
		if at := e.Published.Format("2006-01-02 15:04"); at != w.at {
			t.Errorf("entry %d (%q): published %s, want %s", i, e.Title, at, w.at)
		}
		if e.Title != w.title {
			t.Errorf("entry %d: title %q, want %q", i, e.Title, w.title)
		}
		if e.Pinned != w.pinned {
			t.Errorf("entry %d (%q): pinned %v, want %v", i, e.Title, e.Pinned, w.pinned)
		}
		if !slices.Equal(e.Body, w.body) {
			t.Errorf("entry %d (%q): body\n%q\nwant\n%q", i, e.Title, e.Body, w.body)
		}
		if e.URL != w.url {
			t.Errorf("entry %d (%q): url %q, want %q", i, e.Title, e.URL, w.url)
		}
	}
	checkInvariants(t, source, got)
}

// checkInvariants checks what every parsed entry must satisfy: the source, a non-empty
// unique id, a UTC time, the content hash, no empty paragraph.
func checkInvariants(t *testing.T, source string, got []Entry) {
	t.Helper()
	ids := make(map[string]int)
	for i, e := range got {
		if e.Source != source {
			t.Errorf("entry %d: source %q, want %q", i, e.Source, source)
		}
		if e.ID == "" {
			t.Errorf("entry %d (%q): empty id", i, e.Title)
		}
		if j, dup := ids[e.ID]; dup {
			t.Errorf("entries %d and %d share id %q", j, i, e.ID)
		}
		ids[e.ID] = i
		if !e.Published.IsZero() && e.Published.Location() != time.UTC {
			t.Errorf("entry %d (%q): time %v is not UTC", i, e.Title, e.Published)
		}
		if e.Hash != ContentHash(e.Title, e.Body) {
			t.Errorf("entry %d (%q): hash is not ContentHash(title, body)", i, e.Title)
		}
		for _, p := range e.Body {
			if strings.TrimSpace(p) == "" || p != normalizeSpace(p) {
				t.Errorf("entry %d (%q): paragraph %q not normalised", i, e.Title, p)
			}
		}
	}
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseLiveBlogTextFixtures(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		opts  TextOptions
		wants []want
	}{
		{
			name: "storm: timeless pinned lead, header variants, midnight, mid-page date line",
			file: "liveblog_storm.txt",
			// The date line wins over the fallback date.
			opts: TextOptions{FallbackDate: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)},
			wants: []want{
				{at: "2024-11-03 01:45", pinned: true, title: "Storm Brigid makes landfall on the Saltmarsh coast", body: []string{
					"The storm came ashore near Gullhaven shortly after midnight, with gusts of up to 140 km/h recorded at the lighthouse.",
					"Residents of low-lying streets have been told to stay upstairs until the tide turns.",
				}},
				{at: "2024-11-03 01:45", title: "Coastguard rescues four from stranded trawler", body: []string{
					`Four crew members were lifted from the trawler "Kittiwake" after its engine failed two miles off Gullhaven.`,
					"All four are said to be cold but unhurt.",
				}},
				{at: "2024-11-03 00:20", title: "Power cut to 40,000 homes", body: []string{
					"The regional grid operator said 40,000 homes were without power across the peninsula.",
					"Engineers will not go out until the wind drops.",
				}},
				{at: "2024-11-02 23:50", title: "Ferry services suspended until Monday", body: []string{
					"All crossings from Gullhaven to the Tern Islands are cancelled.",
				}},
				{at: "2024-11-02 22:10", title: "Weather office upgrades warning to red", body: []string{
					`The weather office upgraded its warning for the coast to red, the highest level, citing "a danger to life" from flying debris.`,
					"5 November 2024 is when the clean-up is expected to begin, officials said.",
				}},
				{at: "2024-11-01 19:00", title: "Forecasters name the storm Brigid", body: []string{
					"The storm, the second of the season, was named by the weather office on Friday evening.",
				}},
			},
		},
		{
			name: "election: BST, timed pinned lead, permalink, white space",
			file: "liveblog_election_bst.txt",
			opts: TextOptions{PageURL: "https://news.example.org/live/northmoor-election?src=rss#top"},
			wants: []want{
				{at: "2024-07-05 01:30", pinned: true, title: "Count paused in Eastfield after fire alarm", body: []string{
					"Counting at the Eastfield leisure centre was paused for twenty minutes while the building was checked.",
					"Staff have now returned and the count has resumed.",
				}},
				{at: "2024-07-05 01:15", title: "Northmoor Independents hold Westbrook", body: []string{
					"Ana Müller held Westbrook for the Northmoor Independents with a majority of 312.",
				}, url: "https://news.example.org/live/northmoor-election#update-0215"},
				{at: "2024-07-04 23:05", title: "Turnout in Northmoor estimated at 41%", body: []string{
					"Officials estimated turnout at 41%, down from 44% at the last county election.",
				}},
				{at: "2024-07-04 22:50", title: "First result declared in Hollins Ward", body: []string{
					"Hollins Ward was the first to declare, with the Green Coalition taking the seat from the Civic Party.",
				}},
				{at: "2024-07-04 21:00", title: "Polls close across Northmoor", body: []string{
					"Polling stations closed at 10pm. Ballot boxes are now on their way to the three count centres.",
				}},
			},
		},
		{
			name: "no date line: fallback date, MSK, EEST and numeric offsets",
			file: "liveblog_nodate_msk.txt",
			opts: TextOptions{FallbackDate: time.Date(2024, 3, 10, 3, 30, 0, 0, time.FixedZone("MSK", 3*3600))},
			wants: []want{
				{at: "2024-03-10 00:25", title: "River ferry resumes after ice cleared", body: []string{
					"The ferry between the two banks of the Vetla resumed at dawn after icebreakers cleared the channel.",
				}},
				{at: "2024-03-10 00:10", title: "Schools in the district to open late", body: []string{
					"District schools will open two hours late on Monday.",
				}},
				{at: "2024-03-09 23:50", title: "Road bridge reopened to light traffic", body: []string{
					"The old road bridge reopened to cars but not lorries.",
				}},
				{at: "2024-03-09 20:40", title: "Ice jam forms upstream of Vetlograd", body: []string{
					"An ice jam formed twelve kilometres upstream, the regional emergency service said.",
				}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseLiveBlogText("fixture", readFixture(t, tt.file), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			checkEntries(t, "fixture", got, tt.wants)
		})
	}
}

func TestParseLiveBlogTextPermalink(t *testing.T) {
	got, err := ParseLiveBlogText("fixture", readFixture(t, "liveblog_election_bst.txt"),
		TextOptions{PageURL: "https://news.example.org/live/northmoor-election"})
	if err != nil {
		t.Fatal(err)
	}
	const permalink = "https://news.example.org/live/northmoor-election#update-0215"
	linked := 0
	for _, e := range got {
		wantURL := ""
		if e.Title == "Northmoor Independents hold Westbrook" {
			wantURL = permalink
			linked++
		}
		if e.URL != wantURL {
			t.Errorf("%q: url %q, want %q", e.Title, e.URL, wantURL)
		}
	}
	if linked != 1 {
		t.Errorf("%d entries titled %q, want 1", linked, "Northmoor Independents hold Westbrook")
	}
	// Without a page URL the line is not known for a permalink: it stays in the body.
	got, err = ParseLiveBlogText("fixture", readFixture(t, "liveblog_election_bst.txt"), TextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(got[1].Body, permalink) || got[1].URL != "" {
		t.Errorf("without a page URL: url %q, body %q", got[1].URL, got[1].Body)
	}
}

// page builds a live-blog page from lines.
func page(lines ...string) []byte { return []byte(strings.Join(lines, "\n")) }

func TestParseLiveBlogTextLines(t *testing.T) {
	fallback := time.Date(2024, 1, 5, 20, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		text  []byte
		wants []want
	}{
		{
			name:  "four-digit time, em dash",
			text:  page("January 5, 2024", "1418 GMT — Title one", "Body."),
			wants: []want{{at: "2024-01-05 14:18", title: "Title one", body: []string{"Body."}}},
		},
		{
			name:  "colon time, en dash",
			text:  page("Friday January 5, 2024", "14:18 GMT – Title two"),
			wants: []want{{at: "2024-01-05 14:18", title: "Title two"}},
		},
		{
			name:  "no space before the zone, hyphen",
			text:  page("5 January 2024", "14:18GMT - Title three"),
			wants: []want{{at: "2024-01-05 14:18", title: "Title three"}},
		},
		{
			name:  "one-digit hour, no spaces around the dash",
			text:  page("Friday, January 5, 2024", "9:05 UTC—Title four"),
			wants: []want{{at: "2024-01-05 09:05", title: "Title four"}},
		},
		{
			name: "zone table",
			text: page("Friday, 5 January 2024",
				"1800 GMT-5 — a", "2300 CET — b", "2300 CEST — c", "2300 EET — d", "2300 EEST — e",
				"2200 MSK — f", "2000 BST — g", "2100 +03:00 — h", "2000 UTC+0530 — i", "1400 utc — j"),
			wants: []want{
				{at: "2024-01-05 23:00", title: "a"}, {at: "2024-01-05 22:00", title: "b"},
				{at: "2024-01-05 21:00", title: "c"}, {at: "2024-01-05 21:00", title: "d"},
				{at: "2024-01-05 20:00", title: "e"}, {at: "2024-01-05 19:00", title: "f"},
				{at: "2024-01-05 19:00", title: "g"}, {at: "2024-01-05 18:00", title: "h"},
				{at: "2024-01-05 14:30", title: "i"}, {at: "2024-01-05 14:00", title: "j"},
			},
		},
		{
			name: "marker without space before the emoji; pinned lead keeps its day",
			text: page("Friday, January 5, 2024", "0830 GMT — Pinned", "Lead.", "More updates👇",
				"0100 GMT — Newest", "2300 GMT — Older"),
			wants: []want{
				{at: "2024-01-05 08:30", title: "Pinned", pinned: true, body: []string{"Lead."}},
				{at: "2024-01-05 01:00", title: "Newest"},
				{at: "2024-01-04 23:00", title: "Older"},
			},
		},
		{
			name: "timeless pinned lead takes the newest time",
			text: page("Friday, January 5, 2024", "Lead title", "Lead body.", "More updates 👇",
				"1200 GMT — Older", "1300 GMT — Newer, out of order"),
			wants: []want{
				{at: "2024-01-05 12:00", title: "Lead title", pinned: true, body: []string{"Lead body."}},
				{at: "2024-01-05 12:00", title: "Older"},
				{at: "2024-01-04 13:00", title: "Newer, out of order"},
			},
		},
		{
			name: "marker at the bottom pins nothing",
			text: page("Friday, January 5, 2024", "1200 GMT — Only", "Text.", "More updates"),
			wants: []want{
				{at: "2024-01-05 12:00", title: "Only", body: []string{"Text."}},
			},
		},
		{
			name: "navigation and credit lines",
			text: page("Friday, January 5, 2024", "1200 GMT — Nav", "Read more", "Click here to watch",
				"Kept.", "Photo: somebody", "Image credit: agency", "(AA)", "(Reuters)", "Read more: x",
				"For our live updates from Thursday, January 4, click here."),
			wants: []want{{at: "2024-01-05 12:00", title: "Nav", body: []string{"Kept."}}},
		},
		{
			name: "a date line ends an entry; equal times stay on the day",
			text: page("Friday, January 5, 2024", "1200 GMT — A", "Thursday, January 4, 2024", "orphan",
				"1200 GMT — B", "1200 GMT — C"),
			wants: []want{
				{at: "2024-01-05 12:00", title: "A"},
				{at: "2024-01-04 12:00", title: "B"},
				{at: "2024-01-04 12:00", title: "C"},
			},
		},
		{
			name: "empty title takes the first paragraph",
			text: page("Friday, January 5, 2024", "1200 GMT —", "First.", "Second."),
			wants: []want{
				{at: "2024-01-05 12:00", title: "First.", body: []string{"Second."}},
			},
		},
		{
			name: "not headers: bad time, no zone, no dash, unknown zone, invalid date",
			text: page("Friday, January 5, 2024", "1200 GMT — Real", "2460 GMT — bad", "1200 — no zone",
				"1200 GMT Title", "1200 PST — unknown", "February 30, 2024", "2024 — a year"),
			wants: []want{{at: "2024-01-05 12:00", title: "Real", body: []string{
				"2460 GMT — bad", "1200 — no zone", "1200 GMT Title", "1200 PST — unknown",
				"February 30, 2024", "2024 — a year",
			}}},
		},
		{
			name: "fallback date: the newest entry is not after it",
			text: page("2130 GMT — Yesterday evening", "1900 GMT — Earlier"),
			wants: []want{
				{at: "2024-01-04 21:30", title: "Yesterday evening"},
				{at: "2024-01-04 19:00", title: "Earlier"},
			},
		},
		{
			name: "fallback date: within the slack it is the same day",
			text: page("2045 GMT — A little ahead"),
			wants: []want{
				{at: "2024-01-05 20:45", title: "A little ahead"},
			},
		},
		{
			name: "CRLF, Unicode line separators, zero-width spaces",
			text: []byte("Friday, January 5, 2024\r\n1200 GMT — A\u200b title\r\nOne.\u2028Two.\r\r\n"),
			wants: []want{
				{at: "2024-01-05 12:00", title: "A title", body: []string{"One.", "Two."}},
			},
		},
		{
			name:  "no entries",
			text:  page("Just some text.", "With no headers.", "More updates 👇"),
			wants: []want{},
		},
		{
			name:  "empty",
			text:  nil,
			wants: []want{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseLiveBlogText("lines", tt.text, TextOptions{FallbackDate: fallback})
			if err != nil {
				t.Fatal(err)
			}
			checkEntries(t, "lines", got, tt.wants)
		})
	}
}

func TestParseLiveBlogTextErrors(t *testing.T) {
	tests := []struct {
		name string
		text []byte
		opts TextOptions
	}{
		{name: "invalid UTF-8", text: []byte("Friday, January 5, 2024\n1200 GMT — \xff\xfe")},
		{name: "NUL bytes", text: []byte("1200 GMT — a\x00b")},
		{name: "no date line and no fallback", text: page("1200 GMT — Undated")},
		{name: "timeless lead, no date at all", text: page("Lead", "More updates 👇", "1200 GMT — x")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseLiveBlogText("bad", tt.text, tt.opts)
			if err == nil {
				t.Fatalf("no error; got %d entries", len(got))
			}
			if !strings.HasPrefix(err.Error(), "sources: live blog ") {
				t.Errorf("error %q lacks its origin", err)
			}
		})
	}
}

func TestParseLiveBlogTextIDs(t *testing.T) {
	parse := func(t *testing.T, lines ...string) []Entry {
		t.Helper()
		got, err := ParseLiveBlogText("ids", page(lines...), TextOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	base := parse(t, "Friday, January 5, 2024", "1200 GMT — Türkiye 'ready' to talk", "Original body.")[0]

	tests := []struct {
		name     string
		lines    []string
		sameID   bool
		sameHash bool
	}{
		{
			name:     "same page",
			lines:    []string{"Friday, January 5, 2024", "1200 GMT — Türkiye 'ready' to talk", "Original body."},
			sameID:   true,
			sameHash: true,
		},
		{
			name:   "reworded body",
			lines:  []string{"Friday, January 5, 2024", "1200 GMT — Türkiye 'ready' to talk", "Reworded body."},
			sameID: true,
		},
		{
			name:   "case, diacritics, quotes and punctuation in the title",
			lines:  []string{"Friday, January 5, 2024", "12:00 UTC – TURKIYE “ready” — to talk!", "Original body."},
			sameID: true,
		},
		{
			name:     "another minute",
			lines:    []string{"Friday, January 5, 2024", "1201 GMT — Türkiye 'ready' to talk", "Original body."},
			sameHash: true,
		},
		{
			name:     "another day",
			lines:    []string{"Saturday, January 6, 2024", "1200 GMT — Türkiye 'ready' to talk", "Original body."},
			sameHash: true,
		},
		{
			name:  "another title",
			lines: []string{"Friday, January 5, 2024", "1200 GMT — Türkiye not ready to talk", "Original body."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := parse(t, tt.lines...)[0]
			if (e.ID == base.ID) != tt.sameID {
				t.Errorf("id %s vs %s: same = %v, want %v", e.ID, base.ID, e.ID == base.ID, tt.sameID)
			}
			if (e.Hash == base.Hash) != tt.sameHash {
				t.Errorf("hash same = %v, want %v", e.Hash == base.Hash, tt.sameHash)
			}
		})
	}

	t.Run("another source", func(t *testing.T) {
		got, err := ParseLiveBlogText("other", page("Friday, January 5, 2024", "1200 GMT — Türkiye 'ready' to talk"), TextOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got[0].ID == base.ID {
			t.Error("two sources share an id")
		}
	})

	t.Run("duplicates are told apart, the bottom one keeps the plain id", func(t *testing.T) {
		dup := []string{"Friday, January 5, 2024", "1200 GMT — Same", "One.", "More updates 👇",
			"1200 GMT — Same", "Two.", "1200 GMT — Same", "Three."}
		got := parse(t, dup...)
		checkInvariants(t, "ids", got)
		single := parse(t, "Friday, January 5, 2024", "1200 GMT — Same", "Three.")
		if got[2].ID != single[0].ID {
			t.Errorf("bottom duplicate id %s, want the plain id %s", got[2].ID, single[0].ID)
		}
		again := parse(t, dup...)
		for i := range got {
			if got[i].ID != again[i].ID {
				t.Errorf("entry %d: id %s then %s", i, got[i].ID, again[i].ID)
			}
		}
	})

	t.Run("a timeless lead keeps its id when updates arrive", func(t *testing.T) {
		before := parse(t, "Friday, January 5, 2024", "Lead", "More updates 👇", "1200 GMT — A")
		after := parse(t, "Friday, January 5, 2024", "Lead", "More updates 👇", "1300 GMT — B", "1200 GMT — A")
		if before[0].ID != after[0].ID {
			t.Errorf("lead id %s became %s", before[0].ID, after[0].ID)
		}
		if !after[0].Published.Equal(after[1].Published) {
			t.Errorf("lead time %v, want the newest %v", after[0].Published, after[1].Published)
		}
	})
}

func TestParseDateLine(t *testing.T) {
	tests := []struct {
		line string
		want string // "" for not a date line
	}{
		{"Friday, January 5, 2024", "2024-01-05"},
		{"Friday January 5, 2024", "2024-01-05"},
		{"January 5, 2024", "2024-01-05"},
		{"5 January 2024", "2024-01-05"},
		{"Friday 5 January 2024", "2024-01-05"},
		{"Fri, Jan. 5th, 2024", "2024-01-05"},
		{"sept 30, 2024", "2024-09-30"},
		{"February 29, 2024", "2024-02-29"},
		{"February 29, 2023", ""},
		{"January 32, 2024", ""},
		{"Smarch 5, 2024", ""},
		{"For our live updates from Thursday, January 4, click here.", ""},
		{"5 November 2024 is when", ""},
		{"January 5 2024 2024", ""},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			d, ok := parseDateLine(tt.line)
			got := ""
			if ok {
				got = d.at(0, 0, 0).Format("2006-01-02")
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestUniqueIDsLinear(t *testing.T) {
	const copies = 5000
	entries := make([]Entry, copies)
	for i := range entries {
		entries[i].ID = "same"
	}
	calls := 0
	uniqueIDs(entries, func(base string, n int) string {
		calls++
		return suffixID(base, n)
	})
	seen := make(map[string]bool)
	for _, e := range entries {
		if seen[e.ID] {
			t.Fatalf("id %q repeated", e.ID)
		}
		seen[e.ID] = true
	}
	if entries[copies-1].ID != "same" || entries[copies-2].ID != "same~2" || entries[0].ID != "same~5000" {
		t.Errorf("ids %q … %q, %q", entries[0].ID, entries[copies-2].ID, entries[copies-1].ID)
	}
	// k copies cost k-1 alternatives, not k²/2.
	if calls > copies {
		t.Errorf("%d calls of alt for %d copies", calls, copies)
	}
	// A taken alternative is skipped.
	entries = []Entry{{ID: "a"}, {ID: "a"}, {ID: "a~2"}}
	uniqueIDs(entries, suffixID)
	if entries[0].ID != "a~3" || entries[1].ID != "a" || entries[2].ID != "a~2" {
		t.Errorf("got %q %q %q", entries[0].ID, entries[1].ID, entries[2].ID)
	}
}
