package render

import (
	"fmt"
	"livealert/bot/locale"
	"strings"
	"testing"
	"time"

	"livealert/bot/fakebotapi"
	"livealert/sources"
	"livealert/subscriptions"
)

var (
	renderNow = time.Date(2024, 5, 14, 16, 0, 0, 0, time.UTC)
	wire      = Source{Name: "Harbour Wire", PageURL: "https://news.example/live/harbour"}
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
	if n := Length(plain); n > MaxMessageLength {
		t.Fatalf("message is %d UTF-16 units long, over Telegram's %d", n, MaxMessageLength)
	}
}

func TestAlert(t *testing.T) {
	kyiv, _ := time.LoadLocation("Europe/Kyiv")
	long := strings.Repeat("The storm surge topped the sea wall again and again. ", 40)
	tests := []struct {
		name  string
		d     subscriptions.Delivery
		src   Source
		terms []string // normalised, as Delivery.Terms holds them
	}{
		{
			name: "alert_basic",
			d: subscriptions.Delivery{Kind: subscriptions.KindAlert, TimeZone: time.UTC, Labels: []string{"Storms"},
				Entry: storedEntry("a", "Storm surge floods the harbour road", time.Date(2024, 5, 14, 15, 42, 0, 0, time.UTC),
					"Water reached the first floor of the ferry terminal.", "The second paragraph fits the budget too.")},
			src:   wire,
			terms: []string{"storm", "surge", "ferry"},
		},
		{
			name: "alert_escaping",
			d: subscriptions.Delivery{Kind: subscriptions.KindAlert, TimeZone: time.UTC, Labels: []string{"<b>tags</b> & \"quotes\"", "harbour's"},
				Entry: func() subscriptions.StoredEntry {
					e := storedEntry("b", `<script>alert("x")</script> & Co's "plan" <3`, time.Date(2024, 5, 14, 9, 5, 0, 0, time.UTC),
						"Fish & chips < 5 > 3; see <a href=\"javascript:x\">this</a> &amp; that &nbsp;")
					e.URL = "https://news.example/live/harbour?block=7&from=rss#b7"
					return e
				}(),
			},
			src: wire,
		},
		{
			name: "alert_pinned_long_yesterday_in_kyiv",
			d: subscriptions.Delivery{Kind: subscriptions.KindAlert, TimeZone: kyiv, Labels: []string{"Storms", "\"sea wall\""},
				Entry: func() subscriptions.StoredEntry {
					e := storedEntry("c", "Pinned: what we know so far", time.Date(2024, 5, 13, 20, 30, 0, 0, time.UTC), long, "Not shown: over the budget.")
					e.Pinned = true
					return e
				}(),
			},
			src:   wire,
			terms: []string{"sea", "wall"},
		},
		{
			name: "alert_no_link_no_body",
			d: subscriptions.Delivery{Kind: subscriptions.KindAlert, TimeZone: time.UTC, Labels: []string{"Storms"},
				Entry: storedEntry("d", "Ferries cancelled", time.Date(2024, 5, 14, 15, 0, 0, 0, time.UTC))},
			src: Source{Name: "Local file"},
		},
		{
			name: "alert_emoji_rtl",
			d: subscriptions.Delivery{Kind: subscriptions.KindAlert, TimeZone: time.UTC, Labels: []string{"عاصفة"},
				Entry: storedEntry("e", "🌊 عاصفة تضرب الميناء — storm hits the port 🇹🇷", time.Date(2024, 5, 14, 15, 0, 0, 0, time.UTC),
					"שלום & مرحبا <3 👨‍👩‍👧 عاصفة")},
			src:   wire,
			terms: []string{"عاصفة"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			terms := map[string]bool{}
			for _, term := range tt.terms {
				terms[term] = true
			}
			got := Alert(tt.d, tt.src, renderNow, terms)
			checkTelegramHTML(t, got)
			golden(t, tt.name+".html", got)
		})
	}
}

func TestDigest(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2024, 5, 14, h, m, 0, 0, time.UTC) }
	items := []subscriptions.DigestItem{
		{Entry: storedEntry("1", "Storm surge floods the harbour road", at(6, 10)), Labels: []string{"Storms"}},
		{Entry: storedEntry("2", "Ferries cancelled until Thursday", at(7, 0)), Labels: []string{"Ferries", "Storms"}},
		{Entry: storedEntry("3", "Council <votes> on the sea wall & budget", at(9, 30)), Labels: []string{"Council"}},
		{Entry: storedEntry("4", "Coastguard rescues two sailors", at(11, 45)), Labels: []string{"Storms"}},
		{Entry: storedEntry("5", "Second ferry route suspended", at(13, 5)), Labels: []string{"Ferries"}},
	}
	items[3].Entry.URL = "https://news.example/coastguard?id=4&src=digest"
	sched := time.Date(2024, 5, 15, 8, 0, 0, 0, time.UTC)
	msgs := Digest(locale.For(locale.English), items, sched, time.UTC, map[string]Source{"Harbour Wire": wire})
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	checkTelegramHTML(t, msgs[0])
	golden(t, "digest_small.html", msgs[0])
	// Storms has 3 items counting the shared one, Ferries 2, Council 1: the shared entry goes
	// under Storms only, and Storms comes first.
	if strings.Count(msgs[0], "Ferries cancelled") != 1 {
		t.Fatal("an entry matching two topics appears twice")
	}
	if s, f := strings.Index(msgs[0], "<b>Storms</b>"), strings.Index(msgs[0], "<b>Ferries</b>"); s < 0 || f < 0 || s > f {
		t.Fatal("the busiest topic is not first")
	}
	if Digest(locale.For(locale.English), nil, sched, time.UTC, nil) != nil {
		t.Fatal("an empty digest rendered a message")
	}
}

func TestDigestSplitsAtEntryBoundaries(t *testing.T) {
	var items []subscriptions.DigestItem
	for i := range 120 {
		title := fmt.Sprintf("Update %03d: %s", i, strings.Repeat("tide & wind ", 6))
		e := storedEntry(fmt.Sprint(i), title, time.Date(2024, 5, 14, 0, i%60, 0, 0, time.UTC))
		e.URL = fmt.Sprintf("https://news.example/live/%d?a=1&b=2", i)
		label := []string{"Storms", "Ferries", "Council"}[i%3]
		items = append(items, subscriptions.DigestItem{Entry: e, Labels: []string{label}})
	}
	msgs := Digest(locale.For(locale.English), items, time.Date(2024, 5, 15, 8, 0, 0, 0, time.UTC), time.UTC, map[string]Source{})
	if len(msgs) < 3 {
		t.Fatalf("%d messages for 120 long entries, want at least 3", len(msgs))
	}
	seen := map[string]int{}
	for i, m := range msgs {
		checkTelegramHTML(t, m)
		if i > 0 && !strings.HasPrefix(m, "📰 <b>Daily digest</b> · Wed 15 May 2024 (continued)\n\n<b>") {
			t.Fatalf("message %d does not open with the continued header and a topic heading:\n%.200s", i, m)
		}
		for _, line := range strings.Split(m, "\n") {
			if strings.HasPrefix(line, "• ") {
				seen[line]++
			}
		}
	}
	if len(seen) != 120 {
		t.Fatalf("%d distinct entry lines over all parts, want 120", len(seen))
	}
	for line, n := range seen {
		if n != 1 {
			t.Fatalf("%q appears %d times", line, n)
		}
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		limit int
		want  string
	}{
		{"short", "calm seas", 20, "calm seas"},
		{"word boundary", "the storm surge topped the wall", 20, "the storm surge…"},
		{"no spaces", strings.Repeat("ж", 30), 10, strings.Repeat("ж", 9) + "…"},
		{"emoji kept whole", "🌊🌊🌊🌊🌊🌊", 4, "🌊🌊🌊…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Truncate(tt.in, tt.limit); got != tt.want {
				t.Fatalf("Truncate(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
			}
		})
	}
}
