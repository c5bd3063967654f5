package bot

import (
	"fmt"
	"livealert/bot/locale"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"livealert/bot/fakebotapi"
	"livealert/bot/render"
	"livealert/sources"
	"livealert/subscriptions"
	"livealert/subscriptions/match"
)

var (
	renderNow = time.Date(2024, 5, 14, 16, 0, 0, 0, time.UTC)
	wire      = render.Source{Name: "Harbour Wire", PageURL: "https://news.example/live/harbour"}
)

func storedEntry(id, title string, published time.Time, body ...string) subscriptions.StoredEntry {
	return subscriptions.StoredEntry{Entry: sources.Entry{
		Source: "Harbour Wire", ID: id, Title: title, Body: body, Published: published,
		Hash: sources.ContentHash(title, body),
	}}
}

// checkTelegramHTML fails the test when Telegram would refuse text: bad HTML or too long.
func checkTelegramHTML(t *testing.T, text string) {
	t.Helper()
	plain, err := fakebotapi.ParseHTML(text)
	if err != nil {
		t.Fatalf("Telegram would refuse this message: %v\n%s", err, text)
	}
	if n := render.Length(plain); n > render.MaxMessageLength {
		t.Fatalf("message is %d UTF-16 units long, over Telegram's %d", n, render.MaxMessageLength)
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
	t.Parallel()
	var ds []subscriptions.Delivery
	for i := range 3 {
		e := storedEntry(fmt.Sprint(i), fmt.Sprintf("Storm update %d", i+1), renderNow.Add(-time.Duration(3-i)*time.Minute),
			"The sea wall <still> holds & the road is shut.")
		ds = append(ds, subscriptions.Delivery{Kind: subscriptions.KindAlert, TimeZone: time.UTC, Labels: []string{"Storms"},
			Entry: e, Terms: stormsTerms(t, e)})
	}
	got, n := renderAlerts(ds, map[string]render.Source{"Harbour Wire": wire}, renderNow)
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
	t.Parallel()
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
		text := render.Alert(d, render.Source{Name: randomText(r, 2), PageURL: "https://x.example/?a=1&b=<2>"}, renderNow, terms)
		if _, err := fakebotapi.ParseHTML(text); err != nil {
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
	for _, m := range render.Digest(locale.For(locale.English), items, renderNow, time.UTC, nil) {
		checkTelegramHTML(t, m)
	}
}
