package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"livealert/subscriptions"
)

// opmlFixture is the handwritten OPML file the sources package parses too.
var opmlFixture = filepath.Join("..", "..", "sources", "testdata", "sources.opml")

// runSource runs livealert with args and returns its stdout, stderr and error.
func runSource(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	p := &program{stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }, now: time.Now}
	err = p.run(context.Background(), args)
	return out.String(), errOut.String(), err
}

// sourceTriples lists the name, url and format of each configured source.
func sourceTriples(cfg Config) [][3]string {
	var out [][3]string
	for _, s := range cfg.Sources {
		out = append(out, [3]string{s.Name, s.URL, string(s.source().Format)})
	}
	return out
}

// Importing the fixture prints the golden YAML, and that YAML is a valid sources: section.
func TestSourceImportFixture(t *testing.T) {
	t.Parallel()
	stdout, stderr, err := runSource(t, "source", "import", opmlFixture)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if stderr != "" {
		t.Errorf("stderr %q, want nothing", stderr)
	}
	golden(t, "source_import.yaml", stdout)
	cfg, err := loadConfig(writeConfig(t, stdout))
	if err != nil {
		t.Fatalf("the imported sources do not load: %v", err)
	}
	if len(cfg.Sources) != 7 {
		t.Fatalf("%d sources loaded, want 7", len(cfg.Sources))
	}
}

// An export read back by import gives the same sources: the configured ones, then the
// approved ones users added (pending ones and those with a configured address left out).
func TestSourceExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "state.db")
	ctx := context.Background()
	store, err := subscriptions.Open(ctx, subscriptions.Options{Path: db})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []subscriptions.UserSource{
		{Name: "Київ наживо", URL: "https://kyiv.example/live", Format: "liveblog", RequestedBy: 7, Status: subscriptions.SourceApproved},
		{Name: "Pending", URL: "https://pending.example/", Format: "auto", RequestedBy: 7, Status: subscriptions.SourcePending},
		{Name: "Same as configured", URL: "https://example.com/feed.xml", RequestedBy: 8, Status: subscriptions.SourceApproved},
	} {
		if _, err := store.AddUserSource(ctx, u, subscriptions.SuggestLimits{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	config := writeConfig(t, "storage:\n  path: "+db+"\nsources:\n"+
		"  - name: Wire & Co\n    url: https://example.com/feed.xml\n    format: feed\n"+
		"  - name: Стрічка\n    url: https://example.org/live\n    poll_interval: 30s\n    container: article\n"+
		"  - name: Channel\n    url: \"@vvgladkov\"\n"+
		"  - name: JSON\n    url: https://example.net/live\n    format: jsonld\n")
	exported, stderr, err := runSource(t, "source", "export", "-config", config)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if want := "note: sources[1] Стрічка: poll_interval, container not kept in OPML\n"; stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
	opml := filepath.Join(dir, "exported.opml")
	if err := os.WriteFile(opml, []byte(exported), 0o600); err != nil {
		t.Fatal(err)
	}
	imported, stderr, err := runSource(t, "source", "import", opml)
	if err != nil {
		t.Fatalf("%v\n%s\n%s", err, stderr, exported)
	}
	cfg, err := loadConfig(writeConfig(t, imported))
	if err != nil {
		t.Fatalf("the imported sources do not load: %v\n%s", err, imported)
	}
	want := [][3]string{
		{"Wire & Co", "https://example.com/feed.xml", "feed"},
		{"Стрічка", "https://example.org/live", "auto"},
		{"Channel", "@vvgladkov", "auto"},
		{"JSON", "https://example.net/live", "jsonld"},
		{"Київ наживо", "https://kyiv.example/live", "liveblog"},
	}
	if got := sourceTriples(cfg); !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip gave\n%q\nwant\n%q\nOPML:\n%s", got, want, exported)
	}
}

// Without a database the export still lists the configured sources, and says why no others;
// the missing database is not created.
func TestSourceExportWithoutDatabase(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "missing.db")
	config := writeConfig(t, "storage:\n  path: "+db+"\nsources:\n  - name: wire\n    url: https://example.com/feed.xml\n    format: feed\n")
	stdout, stderr, err := runSource(t, "source", "export", "-config", config)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "source_export.opml", stdout)
	if !strings.Contains(stderr, "missing.db") || !strings.Contains(stderr, "exporting the configured sources only") {
		t.Errorf("stderr %q does not say the database is missing", stderr)
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("export created the database")
	}
}

// Hostile or broken files: a one-line error and exit 1; addresses that are not http(s) or a
// Telegram channel are skipped with a note.
func TestSourceImportBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	broken := write("broken.opml", "<opml version=\"2.0\">\n<body>\n<outline text=\"a\" xmlUrl=\"https://a.example/\">\n</body></opml>")
	local := write("local.opml", `<opml><body><outline text="secrets" url="/etc/passwd"/><outline text="ftp" url="ftp://x.example/"/>`+
		`<outline text="bad format" url="https://b.example/" xmlns:l="https://livealert.invalid/opml" l:format="magic"/>`+
		`<outline text="ok" xmlUrl="https://ok.example/rss"/></body></opml>`)
	onlyLocal := write("only_local.opml", `<opml><body><outline text="secrets" url="file:///etc/passwd"/></body></opml>`)
	big := write("big.opml", "<opml><body>"+strings.Repeat("<!-- padding -->", 70000)+"</body></opml>")
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantErr    string
		wantStderr string
	}{
		{"broken XML", []string{"source", "import", broken}, 1, "broken.opml: opml: line 4: element <outline> closed by </body>", ""},
		{"too large", []string{"source", "import", big}, 1, "larger than 1048576 bytes", ""},
		{"missing file", []string{"source", "import", filepath.Join(dir, "nope.opml")}, 1, "no such file", ""},
		{"nothing to watch", []string{"source", "import", onlyLocal}, 1, "holds no source livealert can watch", ""},
		{"local files skipped", []string{"source", "import", local}, 0, "", `skipped "secrets": url "/etc/passwd" is not an http(s) address or a Telegram channel`},
		{"bad format skipped", []string{"source", "import", local}, 0, "", `skipped "bad format": format: "magic" is not one of`},
		{"no file", []string{"source", "import"}, 2, "source import: give one OPML file", ""},
		{"two files", []string{"source", "import", local, local}, 2, "source import: give one OPML file", ""},
		{"export with an argument", []string{"source", "export", "x"}, 2, `source export: unexpected argument "x"`, ""},
		{"unknown subcommand", []string{"source", "list"}, 2, "livealert source import FILE.opml", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, err := runSource(t, tt.args...)
			if code := exitCodeOf(err); code != tt.wantCode {
				t.Fatalf("exit code %d (error %v), want %d", code, err, tt.wantCode)
			}
			if tt.wantErr != "" && (!strings.Contains(err.Error(), tt.wantErr) || strings.Contains(err.Error(), "\n") && tt.wantCode == 1) {
				t.Fatalf("error %q, want one line holding %q", err, tt.wantErr)
			}
			if !strings.Contains(stderr, tt.wantStderr) {
				t.Fatalf("stderr %q, want it to hold %q", stderr, tt.wantStderr)
			}
			if tt.wantCode == 0 && !strings.Contains(stdout, "https://ok.example/rss") {
				t.Fatalf("stdout %q lacks the good source", stdout)
			}
		})
	}
}
