package bot

import (
	"fmt"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"livealert/bot/fakebotapi"
	"livealert/subscriptions/match"
)

// TestTopicsPaginated pages a catalog of 20 topics, 8 rows of 2 a page, edited in place.
func TestTopicsPaginated(t *testing.T) {
	t.Parallel()
	var topics []match.Topic
	for i := 1; i <= 20; i++ {
		// The longest name the config allows keeps callback data within 64 bytes.
		name := fmt.Sprintf("Topic %02d %s", i, strings.Repeat("x", 40-len("topic-00-")))
		topics = append(topics, match.Topic{Name: name, Keywords: []string{fmt.Sprintf("kw%02d", i)}})
	}
	h := newHarness(t, harnessOptions{Topics: topics})
	h.start()
	tr := &transcript{t: t}
	msgs := h.say(aliceChat, alice, 0, "/topics")
	tr.said("alice", "/topics", msgs)
	kb := msgs[0].ReplyMarkup.InlineKeyboard
	if len(kb) != topicRowsPerPage+1 {
		t.Fatalf("page 1 has %d rows, want %d topic rows and the page row", len(kb), topicRowsPerPage)
	}
	id := msgs[0].ID
	for _, data := range []string{topicsPagePrefix + "1", toggleTopicPrefix + match.TopicKey(topics[17].Name), topicsPagePrefix + "0"} {
		answer := h.press(aliceChat, alice, id, data)
		tr.pressed("alice", data, answer, messageByID(t, h, alice.ID, id))
	}
	golden(t, "topics_paginated.txt", tr.b.String())
	if n := len(h.api.Messages(alice.ID)); n != 1 {
		t.Fatalf("the bot sent %d messages, want one keyboard edited in place", n)
	}
}

// TestForumTopicSubscriptions follows from inside a forum topic, by button and by command, and
// checks that replies and alerts go into that topic only.
func TestForumTopicSubscriptions(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{Bot: liftChatLimits}) // not about the per-chat limits
	h.start()
	h.api.SetMemberStatus(forum.ID, alice.ID, models.ChatMemberTypeAdministrator)
	tr := &transcript{t: t}
	say := func(thread int, text string) []fakebotapi.Message {
		msgs := h.say(forum, alice, thread, text)
		tr.said(fmt.Sprintf("alice in thread %d", thread), text, msgs)
		return msgs
	}
	kb := say(7, "/topics")
	answer := h.press(forum, alice, kb[0].ID, toggleTopicPrefix+"storms")
	tr.pressed("alice", toggleTopicPrefix+"storms", answer, messageByID(t, h, forum.ID, kb[0].ID))
	say(9, "/follow ferry")
	say(7, "/list")
	un := say(9, "/unfollow")
	golden(t, "conversation_forum.txt", tr.b.String())
	for _, m := range append(kb, un...) {
		if m.ThreadID == 0 {
			t.Fatalf("reply %d left the forum topic", m.ID)
		}
	}

	h.ingest(newEntry("0", "Primed"))
	h.ingest(newEntry("1", "Storm floods the pier"), newEntry("2", "Ferry runs late"))
	msgs := h.waitMessages(forum.ID, len(h.api.Messages(forum.ID))+2)
	alerts := msgs[len(msgs)-2:]
	want := map[string]int{"Storm floods the pier": 7, "Ferry runs late": 9}
	for _, m := range alerts {
		for title, thread := range want {
			if strings.Contains(m.Text, title) && m.ThreadID != thread {
				t.Errorf("alert %q went to thread %d, want %d", title, m.ThreadID, thread)
			}
		}
	}
}
