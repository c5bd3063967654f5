package bot

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"livealert/bot/fakebotapi"
)

// ingestHistory primes the source and stores entries as the watcher would, a minute apart on
// the harness clock, published a minute apart from 09:00.
func ingestHistory(h *harness, titles ...string) {
	h.t.Helper()
	h.ingest(newEntry("prime", "Before the bot watched: a ferry timetable"))
	for i, title := range titles {
		h.clock.Advance(time.Minute)
		e := newEntry(fmt.Sprint(i), title, "Body of "+title)
		e.Published = time.Date(2024, 5, 14, 9, i, 0, 0, time.UTC)
		e.URL = fmt.Sprintf("https://news.example/live/%d?a=1&b=2", i)
		h.ingest(e)
	}
}

func TestFollowPreviewLatestSearch(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.start()
	ingestHistory(h,
		"Ferry 1 cancelled", "Storm warning for the coast", "Ferry 2 delayed", "Council <budget> & tax",
		"Ferry 3 back", "Ferry 4 full", "Ferry 5 late", "Ferry 6 early", "Flood on the sea wall")
	h.clock.Advance(time.Hour)
	tr := &transcript{t: t}
	say := func(text string) []fakebotapi.Message {
		msgs := h.say(aliceChat, alice, 0, text)
		tr.said("alice", text, msgs)
		return msgs
	}
	say("/follow ferry")
	say("/follow Storms")
	say("/follow mayor")
	say("/latest")
	say("/latest ferry -late")
	say("/latest Council")
	say("/latest (bad")
	say("/latest nothing-like-this")
	say("/search")
	found := say("/search ferry")
	if len(found) != 1 || found[0].ReplyMarkup == nil {
		t.Fatalf("/search ferry: want one message with page buttons, got %+v", found)
	}
	next := searchPagePrefix + "1"
	answer := h.press(aliceChat, alice, found[0].ID, next)
	edited := messageByID(t, h, alice.ID, found[0].ID)
	tr.pressed("alice", next, answer, edited)
	if !strings.Contains(edited.Text, "page 2 of 2") || !strings.Contains(edited.Text, "Ferry 1 cancelled") {
		t.Fatalf("page 2 of the search is not what was shown:\n%s", edited.Text)
	}
	back := searchPagePrefix + "0"
	answer = h.press(aliceChat, alice, found[0].ID, back)
	tr.pressed("alice", back, answer, messageByID(t, h, alice.ID, found[0].ID))
	say("/search \"sea wall\"")
	say("/search (")
	golden(t, "conversation_history.txt", tr.b.String())
}

// TestFollowPreviewOnlyLastDay checks the preview counts only entries stored in the last 24
// hours, and shows the newest three.
func TestFollowPreviewOnlyLastDay(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.start()
	ingestHistory(h, "Ferry old one")
	h.clock.Advance(25 * time.Hour)
	for i := range 4 {
		h.clock.Advance(time.Minute)
		e := newEntry(fmt.Sprint("new", i), fmt.Sprintf("Ferry new %d", i))
		e.Published = time.Date(2024, 5, 15, 12, i, 0, 0, time.UTC)
		h.ingest(e)
	}
	got := h.reply(aliceChat, alice, "/follow ferry").Text
	for _, want := range []string{"would have matched 4 entries; the newest 3:", "Ferry new 3", "Ferry new 1"} {
		if !strings.Contains(got, want) {
			t.Errorf("preview lacks %q:\n%s", want, got)
		}
	}
	for _, unwanted := range []string{"Ferry new 0", "Ferry old one"} {
		if strings.Contains(got, unwanted) {
			t.Errorf("preview shows %q:\n%s", unwanted, got)
		}
	}
}
