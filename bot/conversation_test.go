package bot

import (
	"fmt"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"livealert/bot/fakebotapi"
)

// transcript records a conversation for a golden file: each line sent, then each message
// the bot answered with, its keyboard drawn below it.
type transcript struct {
	t *testing.T
	b strings.Builder
}

func (tr *transcript) said(who, text string, answers []fakebotapi.Message) {
	fmt.Fprintf(&tr.b, ">>> %s: %s\n", who, text)
	for _, m := range answers {
		tr.message(m)
	}
}

func (tr *transcript) message(m fakebotapi.Message) {
	tr.t.Helper()
	checkTelegramHTML(tr.t, m.Text)
	if !m.LinkPreviewDisabled && m.Document == nil { // a document has no link preview
		tr.t.Errorf("message %d to %d has link previews on", m.ID, m.ChatID)
	}
	thread := ""
	if m.ThreadID != 0 {
		thread = fmt.Sprintf(" (thread %d)", m.ThreadID)
	}
	fmt.Fprintf(&tr.b, "<<< #%d%s\n%s\n", m.ID, thread, m.Text)
	if m.ReplyMarkup != nil {
		for _, row := range m.ReplyMarkup.InlineKeyboard {
			var cells []string
			for _, btn := range row {
				if len(btn.CallbackData) > 64 {
					tr.t.Errorf("button %q: callback data %d bytes, over Telegram's 64", btn.Text, len(btn.CallbackData))
				}
				cells = append(cells, fmt.Sprintf("[%s | %s]", btn.Text, btn.CallbackData))
			}
			fmt.Fprintf(&tr.b, "    %s\n", strings.Join(cells, " "))
		}
	}
	tr.b.WriteString("\n")
}

func (tr *transcript) pressed(who, data, answer string, edited fakebotapi.Message) {
	fmt.Fprintf(&tr.b, ">>> %s presses %s\n<<< answer: %s\n<<< edited:\n", who, data, answer)
	tr.message(edited)
}

// messageByID finds the bot's message id in chat as it is now.
func messageByID(t *testing.T, h *harness, chatID int64, id int) fakebotapi.Message {
	t.Helper()
	for _, m := range h.api.Messages(chatID) {
		if m.ID == id {
			return m
		}
	}
	t.Fatalf("no message %d in chat %d", id, chatID)
	return fakebotapi.Message{}
}

func TestPrivateChatConversation(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.start()
	tr := &transcript{t: t}
	say := func(text string) []fakebotapi.Message {
		msgs := h.say(aliceChat, alice, 0, text)
		tr.said("alice", text, msgs)
		return msgs
	}
	start := say("/start")
	if len(start) != 1 || start[0].ReplyMarkup == nil {
		t.Fatalf("/start: want one message with the topics keyboard, got %+v", start)
	}
	answer := h.press(aliceChat, alice, start[0].ID, toggleTopicPrefix+"storms")
	tr.pressed("alice", toggleTopicPrefix+"storms", answer, messageByID(t, h, alice.ID, start[0].ID))
	if answer != "Following Storms" {
		t.Fatalf("toggle answer %q", answer)
	}
	say("/follow \"harbour road\" OR ferry")
	say("/follow")
	say("/follow (unbalanced")
	say("/list")
	say("/topics")
	unfollow := say("/unfollow")
	if len(unfollow) != 1 || unfollow[0].ReplyMarkup == nil || len(unfollow[0].ReplyMarkup.InlineKeyboard) != 2 {
		t.Fatalf("/unfollow: want a keyboard of the 2 subscriptions, got %+v", unfollow)
	}
	data := unfollow[0].ReplyMarkup.InlineKeyboard[1][0].CallbackData
	answer = h.press(aliceChat, alice, unfollow[0].ID, data)
	tr.pressed("alice", data, answer, messageByID(t, h, alice.ID, unfollow[0].ID))
	say("/unfollow Storms")
	say("/unfollow Storms")
	say("/digest")
	say("/digest 07:30")
	say("/digest 25:00")
	say("/digest off")
	say("/help")
	say("/frobnicate")
	say("hello there")
	say("/stop")
	say("/list")
	golden(t, "conversation_private.txt", tr.b.String())

	if subs, err := h.store.Subscriptions(h.ctx, alice.ID); err != nil || len(subs) != 0 {
		t.Fatalf("after /stop and /list: %d subscriptions, err %v", len(subs), err)
	}
}

func TestFollowPersistsAcrossRestart(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.start()
	h.reply(aliceChat, alice, "/follow ferry")
	h.reply(aliceChat, alice, "/digest 06:45")
	h.restart()
	got := h.reply(aliceChat, alice, "/list").Text
	for _, want := range []string{"<code>ferry</code>", "<b>06:45</b>"} {
		if !strings.Contains(got, want) {
			t.Fatalf("/list after a restart lacks %q:\n%s", want, got)
		}
	}
	// A restart must not hand the bot the same updates again.
	if n := len(h.api.Messages(alice.ID)); n != 3 {
		t.Fatalf("%d messages after restart, want 3 (no command answered twice)", n)
	}
}

func TestCommandsAddressedToBots(t *testing.T) {
	t.Parallel()
	me := "@" + fakebotapi.New(fakebotapi.Options{}).Bot().Username
	tests := []struct {
		name    string
		chat    fakebotapi.Chat
		text    string
		replies int
	}{
		{"suffix for this bot in a private chat", aliceChat, "/help" + me, 1},
		{"suffix for this bot in a group", newsGroup, "/list" + me, 1},
		{"another bot's command in a group", newsGroup, "/list@some_other_bot", 0},
		{"unknown command in a group", newsGroup, "/weather", 0},
		{"plain text in a group", newsGroup, "what a storm", 0},
		{"plain text in a private chat", aliceChat, "what a storm", 1},
		{"command in upper case", aliceChat, "/HELP", 1},
	}
	h := newHarness(t, harnessOptions{})
	h.start()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := h.say(tt.chat, alice, 0, tt.text); len(got) != tt.replies {
				t.Fatalf("%q in %s chat: %d replies, want %d: %+v", tt.text, tt.chat.Type, len(got), tt.replies, got)
			}
		})
	}
}

func TestGroupFollowDeliversToGroup(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{Bot: liftChatLimits}) // not about the per-chat limits
	h.start()
	// Only administrators change a group's subscriptions.
	h.api.SetMemberStatus(newsGroup.ID, alice.ID, models.ChatMemberTypeAdministrator)
	h.api.SetMemberStatus(forum.ID, alice.ID, models.ChatMemberTypeAdministrator)
	h.reply(newsGroup, alice, "/follow ferry")
	h.say(forum, alice, 7, "/follow council")
	h.ingest(newEntry("0", "Old news from before the bot watched")) // the first poll alerts nobody
	h.ingest(newEntry("1", "Ferry services resume"), newEntry("2", "Council meets on Friday"))
	h.ingest(newEntry("3", "Ferry and council news"))
	// Alerts queued together may go out coalesced, several in one message.
	for _, m := range h.waitTexts(newsGroup.ID, "Ferry services resume", "Ferry and council news") {
		if strings.Contains(m.Text, "Council meets") {
			t.Fatalf("the group got an alert it does not follow: %s", m.Text)
		}
	}
	for _, m := range alertsIn(t, h.waitTexts(forum.ID, "Council meets on Friday", "Ferry and council news")) {
		if m.ThreadID != 7 {
			t.Fatalf("forum alert went to thread %d, want 7: %s", m.ThreadID, m.Text)
		}
	}
}

func TestMembershipChanges(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.start()
	h.api.SetMemberStatus(newsGroup.ID, alice.ID, models.ChatMemberTypeAdministrator)
	h.reply(newsGroup, alice, "/follow ferry")
	h.waitHandled(h.api.MyChatMember(newsGroup, alice, models.ChatMemberTypeLeft))
	chat, err := h.store.Chat(h.ctx, newsGroup.ID)
	if err != nil || chat.Active {
		t.Fatalf("after the bot was removed: chat %+v, err %v", chat, err)
	}
}
