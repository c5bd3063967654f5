package bot

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"

	"livealert/bot/fakebotapi"
	"livealert/bot/render"
)

// TestMenusPerScope checks the command menus Telegram is given per scope, derived from the
// command table: private chats, group members, group administrators and each operator.
func TestMenusPerScope(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{Admins: []int64{alice.ID}})
	h.start()
	// The operator's menu is set last; the fake counts a call before it has recorded it.
	if err := h.api.WaitFor(h.waitCtx(), func() bool {
		return len(h.api.CommandsFor(&models.BotCommandScopeChat{ChatID: alice.ID}, "")) > 0
	}); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, s := range []struct {
		name  string
		scope models.BotCommandScope
	}{
		{"default", nil},
		{"all_private_chats", &models.BotCommandScopeAllPrivateChats{}},
		{"all_group_chats", &models.BotCommandScopeAllGroupChats{}},
		{"all_chat_administrators", &models.BotCommandScopeAllChatAdministrators{}},
		{"chat alice (an operator)", &models.BotCommandScopeChat{ChatID: alice.ID}},
		{"chat bob", &models.BotCommandScopeChat{ChatID: bob.ID}},
	} {
		fmt.Fprintf(&b, "## %s\n", s.name)
		for _, c := range h.api.CommandsFor(s.scope, "") {
			fmt.Fprintf(&b, "/%s — %s\n", c.Command, c.Description)
		}
		b.WriteString("\n")
	}
	golden(t, "menus.txt", b.String())
	members := h.api.CommandsFor(&models.BotCommandScopeAllGroupChats{}, "")
	for _, c := range members {
		if spec := h.bot.cmds.index[c.Command]; spec.access != anyone {
			t.Errorf("group members' menu offers /%s, which they may not run", c.Command)
		}
	}
}

// TestRefusalsAndHelpTranscript records what each kind of person is told: a group member who
// tries every changing command, a demoted channel administrator, a non-operator and an
// operator, /help for each, a deep link, and the greeting when the bot joins a group.
func TestRefusalsAndHelpTranscript(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{Admins: []int64{alice.ID}})
	h.start()
	tr := &transcript{t: t}
	say := func(chat fakebotapi.Chat, who fakebotapi.User, text string) []fakebotapi.Message {
		msgs := h.say(chat, who, 0, text)
		tr.said(who.FirstName+" in "+chatName(chat), text, msgs)
		return msgs
	}

	h.waitHandled(h.api.MyChatMember(newsGroup, alice, models.ChatMemberTypeMember))
	tr.said("Alice adds the bot to "+chatName(newsGroup), "", h.api.Messages(newsGroup.ID))
	before := len(h.api.Messages(newsGroup.ID))
	h.waitHandled(h.api.MyChatMember(newsGroup, alice, models.ChatMemberTypeAdministrator))
	if n := len(h.api.Messages(newsGroup.ID)) - before; n != 0 {
		t.Errorf("promoting the bot greeted the group again: %d messages", n)
	}
	h.api.SetMemberStatus(newsGroup.ID, alice.ID, models.ChatMemberTypeOwner)
	say(newsGroup, alice, "/follow ferry")
	for _, c := range h.bot.cmds.list {
		if c.access == chatAdmins {
			say(newsGroup, bob, strings.TrimSpace("/"+c.name+" "+strings.ReplaceAll(gateCommandArgs[c.name], "QUERY", "ferry")))
		}
	}
	say(newsGroup, bob, "/help")
	say(newsGroup, bob, "/sources")
	say(newsGroup, alice, "/sources") // answered in alice's private chat
	tr.said("(alice's private chat now has)", "", h.api.Messages(alice.ID))
	say(bobChat, bob, "/stats")
	say(aliceChat, alice, "/help")
	say(bobChat, bob, "/start topic-storms")
	say(bobChat, bob, "/start topic-nothing")

	h.waitHandled(h.api.ChannelPost(harbourChannel, "hello"))
	h.api.SetMemberStatus(harbourChannel.ID, h.api.Bot().ID, models.ChatMemberTypeAdministrator)
	h.api.SetMemberStatus(harbourChannel.ID, bob.ID, models.ChatMemberTypeAdministrator)
	say(bobChat, bob, "/channel @"+harbourChannel.Username)
	h.api.SetMemberStatus(harbourChannel.ID, bob.ID, models.ChatMemberTypeMember)
	h.clock.Advance(adminCacheTTL + 1)
	say(bobChat, bob, "/mode digest")
	kb := say(bobChat, bob, "/topics")
	answer := h.press(bobChat, bob, kb[0].ID, toggleTopicPrefix+"storms")
	tr.pressed("Bob", toggleTopicPrefix+"storms", answer, messageByID(t, h, bob.ID, kb[0].ID))
	golden(t, "refusals_help_deeplink.txt", tr.b.String())

	if subs, err := h.store.Subscriptions(h.ctx, newsGroup.ID); err != nil || len(subs) != 1 {
		t.Fatalf("the group follows %+v (err %v), want alice's ferry only", subs, err)
	}
	if subs, err := h.store.Subscriptions(h.ctx, harbourChannel.ID); err != nil || len(subs) != 0 {
		t.Fatalf("the channel follows %+v (err %v), want nothing", subs, err)
	}
	if subs, err := h.store.Subscriptions(h.ctx, bob.ID); err != nil || len(subs) != 1 || subs[0].Topic != "storms" {
		t.Fatalf("bob's deep link: he follows %+v (err %v), want storms", subs, err)
	}
}

func chatName(c fakebotapi.Chat) string {
	if c.Title != "" {
		return c.Title
	}
	return "private"
}

// TestEveryCommandWithLongArgument sends every command of the table with an argument that
// fills a message, full of characters HTML escapes: every one is answered, within Telegram's
// limit.
func TestEveryCommandWithLongArgument(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{Admins: []int64{alice.ID}})
	h.start()
	h.reply(aliceChat, alice, "/follow ferry")
	for _, c := range h.bot.cmds.list {
		for _, head := range []string{"/" + c.name + " ", "/" + c.name + " ferry "} {
			text := head + strings.Repeat("<a&b> ", 1000)
			text = string(utf16.Decode(utf16.Encode([]rune(text))[:render.MaxMessageLength]))
			msgs := h.say(aliceChat, alice, 0, text)
			if len(msgs) != 1 {
				t.Errorf("%s…: %d answers, want 1", head, len(msgs))
				continue
			}
			if n := render.Length(msgs[0].PlainText); n > render.MaxMessageLength {
				t.Errorf("%s…: an answer of %d characters", head, n)
			}
		}
	}
	long := "/" + strings.Repeat("x", 4000)
	if msgs := h.say(aliceChat, alice, 0, long); len(msgs) != 1 || render.Length(msgs[0].PlainText) > 300 {
		t.Errorf("an unknown long command: %+v", msgs)
	}
}
