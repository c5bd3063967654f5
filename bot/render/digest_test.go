package render

import (
	"fmt"
	"livealert/bot/locale"
	"strings"
	"testing"
	"time"

	"livealert/subscriptions"
)

// TestRenderDigestGolden renders digests that exercise the content rules: the chat's zone
// (times and header), one-line titles, an entry under several topics shown once under the
// busiest, and a split into parts at entry boundaries.
func TestDigestGolden(t *testing.T) {
	kyiv, _ := subscriptions.LoadZone("Europe/Kyiv")
	lordHowe, _ := subscriptions.LoadZone("Australia/Lord_Howe")
	at := func(d, h, m int) time.Time { return time.Date(2024, 1, d, h, m, 0, 0, time.UTC) }
	small := []subscriptions.DigestItem{
		{Entry: storedEntry("1", "Drones over\nthe harbour\t at night", at(4, 22, 50)), Labels: []string{"Drones"}},
		{Entry: storedEntry("2", "Air defence shot down 20 drones", at(5, 3, 5)), Labels: []string{"Drones", "Air defence"}},
		{Entry: storedEntry("3", "Sirens in Kyiv & Lviv <again>", at(5, 7, 15)), Labels: []string{"Air defence"}},
		{Entry: storedEntry("4", "Drone debris hits a school", at(5, 21, 59)), Labels: []string{"Drones", `"school"`}},
	}
	small[1].Entry.URL = "https://news.example/live?update=2&lang=en"
	var big []subscriptions.DigestItem
	for i := range 90 {
		e := storedEntry(fmt.Sprint(i), fmt.Sprintf("Update %02d — %s", i, strings.Repeat("shelling reported near the port; ", 3)), at(5, i/6, i%6*10))
		e.URL = fmt.Sprintf("https://news.example/live#u%d", i)
		big = append(big, subscriptions.DigestItem{Entry: e, Labels: []string{[]string{"Odesa", "Ports"}[i%2]}})
	}
	tests := []struct {
		name      string
		items     []subscriptions.DigestItem
		scheduled time.Time
		loc       *time.Location
		parts     int
	}{
		{"digest_kyiv", small, at(6, 6, 0), kyiv, 1},
		{"digest_lord_howe", small, at(5, 21, 0), lordHowe, 1},
		{"digest_split", big, at(6, 6, 0), kyiv, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := Digest(locale.For(locale.English), tt.items, tt.scheduled, tt.loc, map[string]Source{"Harbour Wire": wire})
			if len(msgs) != tt.parts {
				t.Fatalf("%d parts, want %d", len(msgs), tt.parts)
			}
			lines := 0
			for i, m := range msgs {
				checkTelegramHTML(t, m)
				lines += strings.Count(m, "\n• ")
				name := tt.name + ".html"
				if tt.parts > 1 {
					name = fmt.Sprintf("%s_%d.html", tt.name, i+1)
				}
				golden(t, name, m)
			}
			if lines != len(tt.items) {
				t.Fatalf("%d entry lines over all parts, want %d (each entry once)", lines, len(tt.items))
			}
		})
	}
}
