package bot

import (
	"strings"
	"testing"

	"livealert/bot/fakebotapi"
	"livealert/subscriptions/match"
)

// TestFollowRegex follows a regular expression and sends the ones the bot refuses — too long,
// not RE2, matching everything — in each language, and checks that an entry the pattern
// matches is alerted and one it does not is not.
func TestFollowRegex(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.start()
	users := []fakebotapi.User{
		{ID: 5001, FirstName: "Ann", LanguageCode: "en"},
		{ID: 5002, FirstName: "Oksana", LanguageCode: "uk"},
		{ID: 5003, FirstName: "Olga", LanguageCode: "ru"},
	}
	tr := &transcript{t: t}
	for _, u := range users {
		chat := fakebotapi.PrivateChat(u)
		for _, q := range []string{
			`re:/shell(ing|ed)\s+\w+/`,
			"re:/" + strings.Repeat("x", match.MaxRegexLength+1) + "/",
			`re:/shell(ing|ed/`,
			`re:/(?!ing)/`,
			`re:/x*/`,
			`re:/shell(ing|ed)`,
		} {
			text := "/follow " + q
			msgs := h.say(chat, u, 0, text)
			tr.said(u.FirstName, text, msgs)
			if len(msgs) != 1 {
				t.Fatalf("%q: %d answers, want 1", text, len(msgs))
			}
		}
	}
	golden(t, "follow_regex.txt", tr.b.String())

	h.ingest(newEntry("r0", "Old news")) // the first poll alerts nobody
	h.ingest(newEntry("r1", "Ferry terminal shelled overnight"), newEntry("r2", "Shells washed up on the beach"))
	for _, u := range users {
		msgs := h.waitMessages(u.ID, 7)
		if alert := msgs[6].Text; !strings.Contains(alert, "Ferry terminal") {
			t.Fatalf("%s's alert = %q, want the shelled ferry terminal", u.FirstName, alert)
		}
	}
	// Only one alert each: the second entry would have been queued with the first.
	for _, u := range users {
		for _, m := range h.api.Messages(u.ID) {
			if strings.Contains(m.Text, "beach") {
				t.Fatalf("%s was alerted to %q", u.FirstName, m.Text)
			}
		}
	}
}
