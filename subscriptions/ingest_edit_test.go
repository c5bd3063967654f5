package subscriptions

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"livealert/sources"
)

func TestIngestAlertOnEdit(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	mustIngest(t, s) // prime the source
	mustStart(t, s, 1, "private")
	s.FollowTopic(ctx, 1, 0, "Drones")
	s.FollowTopic(ctx, 1, 0, "Belgorod")
	ingest := func(e sources.Entry) IngestResult {
		t.Helper()
		res, err := s.Ingest(ctx, "wire", []sources.Entry{e}, IngestOptions{AlertOnEdit: true})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := ingest(entry("a", "Drone attack", "first version")); res.New != 1 || res.Queued != 1 {
		t.Fatalf("new: %+v", res)
	}
	// Edited while its alert still waits: not doubled.
	if res := ingest(entry("a", "Drone attack", "second version")); res.Edited != 1 || res.Queued != 0 {
		t.Fatalf("edit while queued: %+v, want 1 edited, nothing more queued", res)
	}
	ds := due(t, s)
	if len(ds) != 1 {
		t.Fatalf("%d due, want 1", len(ds))
	}
	if err := s.DeliveredAll(ctx, []int64{ds[0].ID}); err != nil {
		t.Fatal(err)
	}
	// Edited after it was sent: alerted again, with what matches now.
	if res := ingest(entry("a", "Drone attack near Belgorod", "third version")); res.Edited != 1 || res.Queued != 1 {
		t.Fatalf("edit after delivery: %+v, want 1 edited, 1 queued", res)
	}
	ds = due(t, s)
	if len(ds) != 1 || ds[0].Entry.Title != "Drone attack near Belgorod" || len(ds[0].Labels) != 2 {
		t.Fatalf("due %+v, want the edited entry with both labels", ds)
	}
	// The same content again is no edit.
	if res := ingest(entry("a", "Drone attack near Belgorod", "third version")); res.Edited != 0 || res.Queued != 0 {
		t.Fatalf("unchanged: %+v", res)
	}
}

// An edited Telegram channel post (the same post number, new text) is an edit of its entry.
func TestIngestTelegramPostEdited(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	read := func(file string) []sources.Entry {
		t.Helper()
		body, err := os.ReadFile(filepath.Join("..", "sources", "testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		r, err := sources.ParsePage(sources.Source{Name: "gladkov", Format: sources.FormatTelegram},
			sources.Response{Body: body, URL: "https://t.me/s/vvgladkov"})
		if err != nil {
			t.Fatal(err)
		}
		return r.Entries
	}
	first, err := s.Ingest(ctx, "gladkov", read("telegram_vvgladkov.html"), IngestOptions{})
	if err != nil || first.New != 6 || first.Edited != 0 {
		t.Fatalf("first poll: %+v, %v", first, err)
	}
	later, err := s.Ingest(ctx, "gladkov", read("telegram_vvgladkov_later.html"), IngestOptions{})
	if err != nil || later.New != 1 || later.Edited != 1 {
		t.Fatalf("later poll: %+v, %v; want post 4520 new and 4519 edited", later, err)
	}
}

// TestIngestHostileText records entries whose text holds NUL bytes and invalid UTF-8, as a
// hostile page may: the poll is recorded and alerted (PostgreSQL, whose text refuses both,
// stores U+FFFD in their place).
func TestIngestHostileText(t *testing.T) {
	t.Parallel()
	s, _ := openTestStore(t)
	ctx := context.Background()
	mustStart(t, s, 1, "private")
	if _, err := s.Follow(ctx, 1, 0, "drone"); err != nil {
		t.Fatal(err)
	}
	mustIngest(t, s)
	title := "Drone\x00 strike \xff\xfe near the plant"
	res := mustIngest(t, s, entry("nul\x00\xff", title, "body\x00", "\xc3"))
	if res.New != 1 || res.Queued != 1 {
		t.Fatalf("ingest: %+v, want one new entry and one alert", res)
	}
	ds := due(t, s)
	if len(ds) != 1 {
		t.Fatalf("%d due, want 1", len(ds))
	}
	want := title
	if s.dialect.postgres {
		want = "Drone\uFFFD strike \uFFFD near the plant"
	}
	if got := ds[0].Entry.Title; got != want {
		t.Errorf("stored title %q, want %q", got, want)
	}
	if again := mustIngest(t, s, entry("nul\x00\xff", title, "body\x00", "\xc3")); again.New != 0 || again.Edited != 0 {
		t.Errorf("the same entry again: %+v, want it known", again)
	}
}
