package bot

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"livealert/bot/telegramtest"
	"livealert/subscriptions"
	"livealert/subscriptions/match"
)

func TestFitParagraphs(t *testing.T) {
	tests := []struct {
		name       string
		paragraphs []string
		budget     int
		want       string
	}{
		{"all fit", []string{"One.", "Two."}, 20, "One.\n\nTwo."},
		{"whole paragraphs, then an ellipsis", []string{"First paragraph.", "Second one is far too long for it."}, 30, "First paragraph.\n\n…"},
		{"blank paragraphs skipped", []string{" ", "Only this."}, 20, "Only this."},
		{"first too long: cut after a sentence", []string{"The wall held. Then the water rose over the road"}, 30, "The wall held. …"},
		{"no sentence end: cut at a word", []string{"the storm surge topped the wall"}, 20, "the storm surge…"},
		{"no spaces: cut between characters", []string{strings.Repeat("ж", 30)}, 10, strings.Repeat("ж", 9) + "…"},
		{"emoji counted as two and never split", []string{strings.Repeat("🌊", 10)}, 7, "🌊🌊🌊…"},
		{"nothing", nil, 10, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fitParagraphs(tt.paragraphs, tt.budget)
			if got != tt.want {
				t.Fatalf("fitParagraphs(%q, %d) = %q, want %q", tt.paragraphs, tt.budget, got, tt.want)
			}
			if n := textLength(got); n > tt.budget {
				t.Fatalf("%d UTF-16 units, over the budget %d", n, tt.budget)
			}
			if !utf8.ValidString(got) {
				t.Fatal("cut inside a character")
			}
		})
	}
}

func TestHighlight(t *testing.T) {
	terms := map[string]bool{"drone": true, "kyiv": true, "sea": true}
	tests := []struct {
		name, text, want string
	}{
		{"plural and case folded", "Drones over the Sea", "<u>Drones</u> over the <u>Sea</u>"},
		{"possessive", "Kyiv's air defence", "<u>Kyiv&#39;s</u> air defence"},
		{"escaped around", "<drone> & co", "&lt;<u>drone</u>&gt; &amp; co"},
		{"part of a longer word is not a match", "seawall", "seawall"},
		{"no terms", "a < b", "a &lt; b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := highlight(tt.text, terms); got != tt.want {
				t.Fatalf("highlight(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// stormsTerms returns the terms of e that the Storms topic matches, as ingest records them.
func stormsTerms(t *testing.T, e subscriptions.StoredEntry) []string {
	t.Helper()
	catalog, err := match.NewCatalog(testTopics)
	if err != nil {
		t.Fatal(err)
	}
	ct, _ := catalog.Compiled("Storms")
	return ct.MatchedTerms(match.NewDocument(e.Title, e.Body))
}

func TestRenderAlertsCoalesced(t *testing.T) {
	var ds []subscriptions.Delivery
	for i := range 3 {
		e := storedEntry(fmt.Sprint(i), fmt.Sprintf("Storm update %d", i+1), renderNow.Add(-time.Duration(3-i)*time.Minute),
			"The sea wall <still> holds & the road is shut.")
		ds = append(ds, subscriptions.Delivery{Kind: subscriptions.KindAlert, TimeZone: time.UTC, Labels: []string{"Storms"},
			Entry: e, Terms: stormsTerms(t, e)})
	}
	got, n := renderAlerts(ds, map[string]sourceView{"Harbour Wire": wire}, renderNow)
	if n != 3 {
		t.Fatalf("%d alerts in the message, want all 3", n)
	}
	checkTelegramHTML(t, got)
	golden(t, "alerts_coalesced.html", got)

	long := strings.Repeat("The storm surge topped the sea wall again and again. ", 14)
	ds = nil
	for i := range 12 {
		ds = append(ds, subscriptions.Delivery{Kind: subscriptions.KindAlert, TimeZone: time.UTC, Labels: []string{"Storms"},
			Entry: storedEntry(fmt.Sprint(i), fmt.Sprintf("Storm update %d", i+1), renderNow, long)})
	}
	for left := ds; len(left) > 0; {
		text, n := renderAlerts(left, nil, renderNow)
		if n < 1 || n == len(ds) {
			t.Fatalf("%d of %d long alerts in one message", n, len(left))
		}
		checkTelegramHTML(t, text)
		if strings.Count(text, "🔔") != n {
			t.Fatalf("%d alerts said, %d rendered: split inside an alert", n, strings.Count(text, "🔔"))
		}
		left = left[n:]
	}
}

// randomText is a title or paragraph from pieces that tempt an escaping bug.
func randomText(r *rand.Rand, words int) string {
	pieces := []string{"storm", "<b>", "</b>", "&", "&amp;", "<", ">", "\"", "'", "🌊", "👨‍👩‍👧", "🇹🇷", "عاصفة", "שלום",
		"\u200f", "\u202e", "a&b", "<a href=\"x\">", "&#128;", "&nbsp", "sea wall", ".", "!", "—", "ж", "\U0001F600", "<u>", "x<y", "\n", " "}
	var b strings.Builder
	for range words {
		b.WriteString(pieces[r.IntN(len(pieces))])
		if r.IntN(3) > 0 {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// TestRenderNeverEscapesBadly is the property that whatever an entry holds, Telegram parses
// every rendered alert, coalesced message and digest, within its length limit.
func TestRenderNeverEscapesBadly(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 2026))
	terms := map[string]bool{"storm": true, "sea": true, "wall": true, "عاصفة": true, "ж": true}
	var ds []subscriptions.Delivery
	var items []subscriptions.DigestItem
	for i := range 500 {
		var body []string
		for range r.IntN(4) {
			body = append(body, randomText(r, r.IntN(300)))
		}
		e := storedEntry(fmt.Sprint(i), randomText(r, 1+r.IntN(120)), renderNow.Add(-time.Duration(r.IntN(5000))*time.Minute), body...)
		if r.IntN(2) == 0 {
			e.URL = "https://news.example/" + randomText(r, 3)
		}
		d := subscriptions.Delivery{Kind: subscriptions.KindAlert, TimeZone: time.UTC, Labels: []string{"Storms", randomText(r, 4)}, Entry: e,
			Terms: slices.Sorted(maps.Keys(terms))}
		text := renderAlert(d, sourceView{Name: randomText(r, 2), PageURL: "https://x.example/?a=1&b=<2>"}, renderNow, terms)
		if _, err := telegramtest.ParseHTML(text); err != nil {
			t.Fatalf("case %d: %v\n%s", i, err, text)
		}
		checkTelegramHTML(t, text)
		ds = append(ds, d)
		items = append(items, subscriptions.DigestItem{Entry: e, Labels: d.Labels})
	}
	for left := ds; len(left) > 0; {
		text, n := renderAlerts(left, nil, renderNow)
		checkTelegramHTML(t, text)
		left = left[n:]
	}
	for _, m := range renderDigest(items, renderNow, time.UTC, nil) {
		checkTelegramHTML(t, m)
	}
}
