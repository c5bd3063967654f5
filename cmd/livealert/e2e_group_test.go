package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"livealert/bot/fakebotapi"
)

// groupBlogPage is a live blog of ours in the seed's format: the date line, then entries
// newest first.
func groupBlogPage(entries ...string) string {
	return "Friday, January 5, 2024\n" + strings.Join(entries, "\n") + "\n"
}

// TestEndToEndGroupMemberChangesNothing runs livealert with config.example.yaml's catalog in a
// supergroup: an administrator follows a topic, a member tries every command and every button
// that changes the group and is refused each time, and the group still gets its next alert.
func TestEndToEndGroupMemberChangesNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	api := fakebotapi.New(fakebotapi.Options{})
	t.Cleanup(api.Close)
	blog := newLiveBlog(t, groupBlogPage("1100 GMT — Harbour reopens after the storm\nShips sail again."))
	config := exampleConfigFor(t, api.URL(), dir, blog.srv.URL+"/live")
	clock := &e2eClock{now: time.Date(2024, 1, 5, 13, 0, 0, 0, time.UTC)}
	// The fake enforces no flood limits here, so neither does the bot: a member's twenty tries
	// need not take a minute of the group's 20 messages a minute.
	startLivealertWith(t, api, config, clock, func(p *program) { p.groupInterval = -1 })
	blog.waitPolls(t, 2) // the first poll is recorded, alerting nobody

	group := fakebotapi.Chat{ID: -1009000000001, Type: "supergroup", Title: "Kharkiv desk"}
	admin := fakebotapi.User{ID: 701, FirstName: "Olena"}
	member := fakebotapi.User{ID: 702, FirstName: "Taras"}
	api.SetMemberStatus(group.ID, admin.ID, models.ChatMemberTypeOwner)
	wait, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	says := 0
	say := func(who fakebotapi.User, text string) fakebotapi.Message {
		t.Helper()
		api.SendMessage(group, who, text)
		says++
		msgs, err := api.WaitMessages(wait, group.ID, says)
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		return msgs[says-1]
	}
	press := func(who fakebotapi.User, m fakebotapi.Message, data string) string {
		t.Helper()
		id, err := api.PressButton(group, who, m.ID, data)
		if err != nil {
			t.Fatal(err)
		}
		var answer string
		if err := api.WaitFor(wait, func() bool {
			for _, a := range api.CallbackAnswers() {
				if a.QueryID == id {
					answer = a.Text
					return true
				}
			}
			return false
		}); err != nil {
			t.Fatalf("press %s: %v", data, err)
		}
		return answer
	}

	topics := say(admin, "/topics")
	if answer := press(admin, topics, "t:drones"); answer != "Following Drones" {
		t.Fatalf("the administrator's press: %q", answer)
	}
	blog.set(groupBlogPage(
		"1200 GMT — Drones attack the port overnight\nAir defence downed most of them.",
		"1100 GMT — Harbour reopens after the storm\nShips sail again."))
	msgs, err := api.WaitMessages(wait, group.ID, says+1)
	if err != nil {
		t.Fatal(err)
	}
	alert := msgs[says]
	if !strings.Contains(alert.PlainText, "Drones attack the port") || alert.ReplyMarkup == nil {
		t.Fatalf("the first alert: %+v", alert)
	}
	says++
	unfollowPicker := say(admin, "/unfollow")

	for _, text := range []string{"/follow missiles", "/unfollow Drones", "/digest off", "/digest 07:00",
		"/timezone Asia/Tokyo", "/mode digest", "/quiet 00:00-23:59", "/mute 7d", "/mute drones 1d", "/stop",
		"/start topic-energy"} {
		if got := say(member, text).PlainText; !strings.HasPrefix(got, "🔒") {
			t.Errorf("the member's %s was answered %q", text, got)
		}
	}
	memberTopics := say(member, "/topics")
	for _, p := range []struct {
		m    fakebotapi.Message
		data string
	}{
		{memberTopics, "t:drones"}, {memberTopics, "t:energy"}, {topics, "t:drones"},
		{unfollowPicker, unfollowPicker.ReplyMarkup.InlineKeyboard[0][0].CallbackData},
	} {
		if answer := press(member, p.m, p.data); !strings.HasPrefix(answer, "Only") {
			t.Errorf("the member's press of %s was answered %q", p.data, answer)
		}
	}
	for _, row := range alert.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if answer := press(member, alert, b.CallbackData); !strings.HasPrefix(answer, "Only") {
				t.Errorf("the member's press of %q under the alert was answered %q", b.Text, answer)
			}
		}
	}

	blog.set(groupBlogPage(
		"1300 GMT — More drones over the harbour at dawn\nSirens sounded twice.",
		"1200 GMT — Drones attack the port overnight\nAir defence downed most of them.",
		"1100 GMT — Harbour reopens after the storm\nShips sail again."))
	msgs, err = api.WaitMessages(wait, group.ID, says+1)
	if err != nil {
		t.Fatal(err)
	}
	if next := msgs[says]; !strings.Contains(next.PlainText, "More drones over the harbour") {
		t.Fatalf("the group's next message is not the next alert: %s", next.PlainText)
	}
}
