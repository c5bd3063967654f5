package subscriptions

import (
	"context"
	"testing"
	"time"

	"livealert/sources"
)

// The wire story of these tests, as a live blog and a feed tell it, and another story on the
// same subject.
var (
	storyBlog = []string{"Russia says air defences shot down 12 drones over Belgorod",
		"Russia's defence ministry said on Saturday that air defences shot down twelve drones over the Belgorod region overnight, and that nobody was hurt."}
	storyFeed = []string{"Russia: 12 drones shot down over Belgorod overnight",
		"Russia's defence ministry said on Saturday that air defences shot down twelve drones over the Belgorod region overnight and that nobody was hurt, state media reported."}
	storyOther = []string{"Drone debris damages houses in Belgorod",
		"Falling debris from a drone damaged three houses on the outskirts of Belgorod, the regional governor said, a day after a night of attacks."}
)

func ingestFrom(t *testing.T, s *Store, source, id string, text []string) IngestResult {
	t.Helper()
	e := entry(id, text[0], text[1:]...)
	e.Source = source
	res, err := s.Ingest(context.Background(), source, []sources.Entry{e}, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestIngestFoldsAStoryFromAnotherSource(t *testing.T) {
	t.Parallel()
	s, clock := openTestStore(t)
	ctx := context.Background()
	for _, src := range []string{"blog", "feed"} {
		if _, err := s.Ingest(ctx, src, nil, IngestOptions{}); err != nil { // primed
			t.Fatal(err)
		}
	}
	mustStart(t, s, 1, "private")
	mustStart(t, s, 2, "private")
	s.FollowTopic(ctx, 1, 0, "Drones")
	s.FollowTopic(ctx, 2, 0, "Drones")

	ingestFrom(t, s, "blog", "b1", storyBlog)
	first := due(t, s)
	if len(first) != 2 || first[0].AlsoOf != 0 {
		t.Fatalf("first alerts %+v, want 2 of their own", first)
	}
	// Chat 1's alert was sent as message 77; chat 2's still waits.
	if err := s.Delivered(ctx, []SentMessage{{IDs: []int64{first[0].ID}, ChatID: first[0].ChatID, MessageID: 77, Text: "<b>alert</b>"}}); err != nil {
		t.Fatal(err)
	}
	clock.Set(clock.Now().Add(10 * time.Minute))
	if res := ingestFrom(t, s, "feed", "f1", storyFeed); res.Queued != 2 {
		t.Fatalf("feed: %+v", res)
	}
	ds := due(t, s)
	if len(ds) != 3 {
		t.Fatalf("%d due, want chat 2's first alert and two also rows", len(ds))
	}
	var also []Delivery
	for _, d := range ds {
		if d.AlsoOf != 0 {
			also = append(also, d)
		}
	}
	if len(also) != 2 || also[0].AlsoOf != first[0].Entry.RowID || also[0].Entry.Source != "feed" {
		t.Fatalf("also rows %+v, want two of the blog's story", also)
	}
	for _, a := range also {
		m, err := s.StoryMessage(ctx, a.ChatID, a.ThreadID, a.AlsoOf)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[int64]int{first[0].ChatID: 77, first[1].ChatID: 0}[a.ChatID]; m.MessageID != want {
			t.Errorf("chat %d: story message %d, want %d", a.ChatID, m.MessageID, want)
		}
	}
	// Another story on the same subject is alerted on its own; the same source repeating
	// the story is its own edit handling's business, not folded.
	ingestFrom(t, s, "feed", "f2", storyOther)
	ingestFrom(t, s, "blog", "b2", storyFeed)
	n := 0
	for _, d := range due(t, s) {
		if d.AlsoOf == 0 && (d.Entry.ID == "f2" || d.Entry.ID == "b2") {
			n++
		}
	}
	if n != 4 {
		t.Errorf("%d alerts of their own for the other story and the blog's repeat, want 4", n)
	}
	// After the window the story is new again.
	clock.Set(clock.Now().Add(StoryWindow + time.Minute))
	ingestFrom(t, s, "feed", "f3", storyBlog)
	for _, d := range due(t, s) {
		if d.Entry.ID == "f3" && d.AlsoOf != 0 {
			t.Errorf("alert after the window folded into story %d", d.AlsoOf)
		}
	}
}
