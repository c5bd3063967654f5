package bot

import (
	"errors"
	"io/fs"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"livealert/bot/fakebotapi"
	"livealert/sources"
	"livealert/subscriptions/match"
)

// seedLiveBlog is the corpus's live blog of a day of the Russia-Ukraine war (nine entries
// from 2024-01-04 21:47 to 2024-01-05 18:41 UTC), read where it lies.
const seedLiveBlog = "../../shared/corpus/trtworld-liveblog-2024-01-05.txt"

// seedTopics are catalog topics the seed's entries match.
var seedTopics = []match.Topic{
	{Name: "Belgorod", Keywords: []string{"Belgorod"}},
	{Name: "Drones", Keywords: []string{"drone", "UAV"}},
	{Name: "North Korea", Keywords: []string{`"North Korea"`, "Pyongyang", "DPRK"}},
	{Name: "Peace talks", Keywords: []string{`"peace talks"`, "ceasefire"}},
	{Name: "Air defence", Keywords: []string{`"air defence"`, `"shot down"`}},
}

func isDigest(m fakebotapi.Message) bool {
	return strings.HasPrefix(m.Text, "📰 <b>Daily digest</b>")
}

// TestDigestEndToEnd: three chats in three zones follow the seed's topics; its entries come
// in over a day at their own times while the digest tick runs every minute; the bot is down
// over New York's digest time and restarted. Each chat gets exactly one digest holding
// exactly its entries — for the two chats with alerts, exactly the entries it was alerted
// to — and the digests are golden files.
func TestDigestEndToEnd(t *testing.T) {
	t.Parallel()
	text, err := os.ReadFile(seedLiveBlog)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("the corpus is absent: ", seedLiveBlog)
	}
	if err != nil {
		t.Fatal(err)
	}
	entries, err := sources.ParseLiveBlogText("Harbour Wire", text, sources.TextOptions{PageURL: "https://www.trtworld.com/live-blog/russia-ukraine-war"})
	if err != nil || len(entries) != 9 {
		t.Fatalf("seed: %d entries, %v", len(entries), err)
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].Published.Before(entries[j].Published) })

	start := time.Date(2024, 1, 4, 21, 30, 0, 0, time.UTC)
	h := newHarness(t, harnessOptions{Topics: seedTopics, Start: start})
	h.start()
	tokyoGroup := newsGroup
	h.api.SetMemberStatus(tokyoGroup.ID, alice.ID, "administrator") // only admins change a group's settings
	chats := []struct {
		name     string
		chat     fakebotapi.Chat
		commands []string
		alerts   bool
	}{
		// Kyiv (UTC+2): 21:00 local is 19:00 UTC on the 5th.
		{"kyiv", aliceChat, []string{"/timezone Kyiv", "/digest 21:00", "/follow Belgorod", "/follow Drones", "/follow Air defence"}, true},
		// New York (UTC-5): 15:00 local is 20:00 UTC on the 5th; the bot is down then.
		{"new_york", bobChat, []string{"/timezone New York", "/digest 15:00", "/follow North Korea", "/follow Peace talks", "/follow Zelenskyy"}, true},
		// Tokyo (UTC+9): 06:00 local on the 6th is 21:00 UTC on the 5th; digest only.
		{"tokyo", tokyoGroup, []string{"/timezone Tokyo", "/digest 06:00", "/follow Drones", "/follow North Korea", `/follow "Black Sea"`, "/mode digest"}, false},
	}
	for _, c := range chats {
		for _, cmd := range c.commands {
			if got := h.say(c.chat, alice, 0, cmd); len(got) != 1 || strings.HasPrefix(got[0].Text, "⚠️") {
				t.Fatalf("%s: %q answered %+v", c.name, cmd, got)
			}
		}
	}
	h.ingest() // the source's first poll: nothing yet, so every entry is news

	downFrom, backAt := time.Date(2024, 1, 5, 19, 50, 0, 0, time.UTC), time.Date(2024, 1, 5, 20, 25, 0, 0, time.UTC)
	end := time.Date(2024, 1, 5, 22, 0, 0, 0, time.UTC)
	next := 0
	for now := start; now.Before(end); now = now.Add(time.Minute) {
		if !now.Before(downFrom) && now.Before(backAt) {
			if h.bot != nil {
				h.stop()
			}
			continue
		}
		h.clock.Set(now)
		if h.bot == nil {
			h.start()
		}
		var due []sources.Entry
		for ; next < len(entries) && !entries[next].Published.After(now); next++ {
			due = append(due, entries[next])
		}
		if len(due) > 0 {
			h.ingest(due...)
		}
		h.digestTick()
	}
	if next != len(entries) {
		t.Fatalf("only %d of %d entries ingested", next, len(entries))
	}
	h.restart() // once more: nothing is sent twice
	h.clock.Set(end)
	h.digestTick()

	for _, c := range chats {
		t.Run(c.name, func(t *testing.T) {
			// Every digest is queued by now; wait until the sender has drained the outbox.
			var msgs []fakebotapi.Message
			if err := h.api.WaitFor(h.waitCtx(), func() bool {
				ds, err := h.store.DueDeliveries(h.ctx, 1)
				msgs = h.api.Messages(c.chat.ID)
				return err == nil && len(ds) == 0
			}); err != nil {
				t.Fatal(err)
			}
			var digests []fakebotapi.Message
			var alerts strings.Builder // alerts may come several to a message (coalesced)
			for _, m := range msgs[len(c.commands):] {
				if isDigest(m) {
					digests = append(digests, m)
					continue
				}
				alerts.WriteString(m.PlainText + "\n")
			}
			alerted := map[string]bool{}
			for _, e := range entries {
				if strings.Contains(alerts.String(), e.Title) {
					alerted[e.Title] = true
				}
			}
			if len(digests) != 1 {
				t.Fatalf("%d digests, want exactly one", len(digests))
			}
			d := digests[0]
			checkTelegramHTML(t, d.Text)
			golden(t, "e2e_digest_"+c.name+".html", d.Text)
			if c.alerts != (len(alerted) > 0) {
				t.Fatalf("alerts %v, want alerts: %v", alerted, c.alerts)
			}
			if c.alerts {
				inDigest := map[string]bool{}
				for _, line := range strings.Split(d.PlainText, "\n") {
					if title, ok := strings.CutPrefix(line, "• "); ok {
						inDigest[title[len("Fri 15:04 "):]] = true
					}
				}
				for title := range alerted {
					if !inDigest[title] {
						t.Errorf("alerted to %q, which is not in the digest", title)
					}
				}
				if len(inDigest) != len(alerted) {
					t.Errorf("%d entries in the digest, %d alerted", len(inDigest), len(alerted))
				}
			}
		})
	}
}
