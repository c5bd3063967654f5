package bot

import (
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"livealert/bot/fakebotapi"
)

// TestEveryCommandInGroupsAndForumTopics sends every command in a group and in a forum topic,
// as an administrator and as a member: each gets one answer, in the topic it was sent in, and
// a member's changes are refused.
func TestEveryCommandInGroupsAndForumTopics(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.start()
	h.ingest(newEntry("0", "Ferry timetable"))
	for _, c := range []fakebotapi.Chat{newsGroup, forum} {
		h.api.SetMemberStatus(c.ID, alice.ID, models.ChatMemberTypeAdministrator)
	}
	commands := []struct {
		text     string
		changing bool
	}{
		{"/start", false}, {"/topics", false}, {"/follow ferry", true}, {"/list", false},
		{"/latest", false}, {"/latest ferry", false}, {"/search ferry", false}, {"/unfollow", true},
		{"/unfollow ferry", true}, {"/digest", true}, {"/help", false},
	}
	for _, place := range []struct {
		name   string
		chat   fakebotapi.Chat
		thread int
	}{{"group", newsGroup, 0}, {"forum topic", forum, 5}} {
		for _, who := range []fakebotapi.User{alice, bob} {
			for _, c := range commands {
				t.Run(place.name+"/"+who.FirstName+"/"+c.text, func(t *testing.T) {
					msgs := h.say(place.chat, who, place.thread, c.text)
					if len(msgs) != 1 {
						t.Fatalf("%d answers, want 1: %+v", len(msgs), msgs)
					}
					m := msgs[0]
					checkTelegramHTML(t, m.Text)
					if m.ThreadID != place.thread {
						t.Errorf("answered in thread %d, want %d", m.ThreadID, place.thread)
					}
					refused := m.Text == notAdminText(en)
					if want := c.changing && who.ID == bob.ID; refused != want {
						t.Errorf("refused = %v, want %v: %s", refused, want, m.Text)
					}
					if c.text == "/search ferry" && !strings.Contains(m.Text, "Ferry timetable") {
						t.Errorf("/search did not find the stored entry: %s", m.Text)
					}
				})
			}
		}
	}
}
