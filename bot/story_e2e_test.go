package bot

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"livealert/sources"
)

// The story of TestOneAlertPerStory as the live blog tells it, as a feed republishes it, and
// another story on the same subject.
const (
	storyBlogHead = "Tuesday, May 14, 2024\n" +
		"1130 GMT — Storm closes the harbour ferry route until Thursday\n" +
		"The harbour authority closed the ferry route to the islands until Thursday after the storm damaged the north pier overnight, and said crossings would resume once divers had inspected it.\n"
	storyFeedItem = `<item><title>Storm shuts harbour ferry route until Thursday</title>` +
		`<link>https://feed.example.org/ferry-route-closed</link><guid>ferry-route-closed</guid>` +
		`<pubDate>Tue, 14 May 2024 11:40:00 GMT</pubDate>` +
		`<description>The harbour authority closed the ferry route to the islands until Thursday after the storm damaged the north pier overnight and said crossings would resume once divers inspected it.</description></item>`
	otherFeedItem = `<item><title>Ferry operator orders two new boats</title>` +
		`<link>https://feed.example.org/new-ferries</link><guid>new-ferries</guid>` +
		`<pubDate>Tue, 14 May 2024 11:50:00 GMT</pubDate>` +
		`<description>The island ferry operator ordered two new boats for the harbour route, to be delivered next spring, its chief executive said.</description></item>`
)

// TestOneAlertPerStory: the same story in a live blog and in a feed gives one alert, edited
// once to add the feed; another story on the same subject gives an alert of its own; the
// digest lists the story once with both sources.
func TestOneAlertPerStory(t *testing.T) {
	t.Parallel()
	var feedMu sync.Mutex
	feedItems := ""
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		feedMu.Lock()
		defer feedMu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Island Feed</title><link>https://feed.example.org/</link>%s</channel></rss>`, feedItems)
	}))
	defer feed.Close()
	setFeed := func(items ...string) {
		feedMu.Lock()
		defer feedMu.Unlock()
		feedItems = strings.Join(items, "")
	}
	h := newHarness(t, harnessOptions{
		Page: "Tuesday, May 14, 2024\n0930 GMT — Quiet morning at the harbour\nNothing to report.",
		Bot: func(o *Options) {
			liftChatLimits(o)
			o.Sources = append(o.Sources, sources.Source{Name: "Island Feed", URL: feed.URL + "/rss", Format: sources.FormatFeed,
				PollInterval: 50 * time.Millisecond})
		},
	})
	h.start()
	for deadline := time.Now().Add(harnessTimeout); ; time.Sleep(5 * time.Millisecond) { // both primed
		states, err := h.store.SourceStates(h.ctx)
		if err == nil && !states["Harbour Wire"].LastSuccess.IsZero() && !states["Island Feed"].LastSuccess.IsZero() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("sources not polled: %+v, %v", states, err)
		}
	}
	h.reply(aliceChat, alice, "/follow ferry")
	before := len(h.api.Messages(alice.ID))

	h.setPage(storyBlogHead + "0930 GMT — Quiet morning at the harbour\nNothing to report.")
	alert := h.waitMessages(alice.ID, before+1)[before]
	setFeed(storyFeedItem)
	err := h.api.WaitFor(h.waitCtx(), func() bool {
		msgs := h.api.Messages(alice.ID)
		return len(msgs) > before && msgs[before].Edits > 0
	})
	if err != nil {
		t.Fatalf("the alert was not edited: %v", err)
	}
	edited := h.api.Messages(alice.ID)[before]
	if edited.ID != alert.ID || edited.Edits != 1 || !strings.Contains(edited.Text, "Island Feed") {
		t.Fatalf("edited alert %+v, want one edit naming the feed", edited)
	}
	if edited.ReplyMarkup == nil || len(edited.ReplyMarkup.InlineKeyboard) == 0 {
		t.Errorf("the edit lost the alert's buttons")
	}
	golden(t, "story_alert_also.html", strings.ReplaceAll(edited.Text, h.source.URL, "https://harbour.example.org/live"))

	setFeed(storyFeedItem, otherFeedItem)
	msgs := h.waitMessages(alice.ID, before+2)
	if other := msgs[before+1]; !strings.Contains(other.Text, "two new boats") {
		t.Fatalf("second alert %q, want the other story", other.Text)
	}
	if n := len(h.api.Messages(alice.ID)); n != before+2 || h.api.Messages(alice.ID)[before].Edits != 1 {
		t.Errorf("%d messages, first edited %d times; want %d and 1", n, h.api.Messages(alice.ID)[before].Edits, before+2)
	}

	h.clock.Set(time.Date(2024, 5, 15, 8, 0, 0, 0, time.UTC))
	h.digestTick()
	digest := h.waitMessages(alice.ID, before+3)[before+2]
	if strings.Count(digest.Text, "ferry-route-closed") != 1 || !strings.Contains(digest.PlainText, "2 new entries") {
		t.Errorf("digest %q, want the story once (with the feed) and two entries", digest.PlainText)
	}
	golden(t, "story_digest.html", strings.ReplaceAll(digest.Text, h.source.URL, "https://harbour.example.org/live"))
}
