package bot

import (
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"livealert/bot/fakebotapi"
)

var harbourChannel = fakebotapi.Chat{ID: -1001000000003, Type: "channel", Title: "Harbour Alerts", Username: "harbour_alerts"}

// TestChannelManagedFromPrivateChat links a channel from a private chat, manages its
// subscriptions there, and checks alerts go to the channel.
func TestChannelManagedFromPrivateChat(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.start()
	h.waitHandled(h.api.ChannelPost(harbourChannel, "Welcome to the channel")) // the fake learns of it
	tr := &transcript{t: t}
	say := func(who fakebotapi.User, text string) []fakebotapi.Message {
		msgs := h.say(fakebotapi.PrivateChat(who), who, 0, text)
		tr.said(who.FirstName, text, msgs)
		return msgs
	}
	say(alice, "/channel")
	say(alice, "/channel @nowhere")
	say(alice, "/channel @harbour_alerts") // the bot is no admin there yet
	h.api.SetMemberStatus(harbourChannel.ID, h.api.Bot().ID, models.ChatMemberTypeAdministrator)
	h.api.SetMemberStatus(harbourChannel.ID, alice.ID, models.ChatMemberTypeAdministrator)
	say(bob, "/channel @harbour_alerts") // bob is no admin of the channel
	say(alice, "/channel @harbour_alerts")
	say(alice, "/follow ferry")
	kb := say(alice, "/topics")
	answer := h.press(aliceChat, alice, kb[0].ID, toggleTopicPrefix+"storms")
	tr.pressed("Alice", toggleTopicPrefix+"storms", answer, messageByID(t, h, alice.ID, kb[0].ID))
	say(alice, "/list")
	un := say(alice, "/unfollow")
	data := un[0].ReplyMarkup.InlineKeyboard[1][0].CallbackData // Storms
	answer = h.press(aliceChat, alice, un[0].ID, data)
	tr.pressed("Alice", data, answer, messageByID(t, h, alice.ID, un[0].ID))
	say(alice, "/channel")
	say(alice, "/channel off")
	say(alice, "/list")
	golden(t, "conversation_channel.txt", tr.b.String())

	if subs, err := h.store.Subscriptions(h.ctx, harbourChannel.ID); err != nil || len(subs) != 1 {
		t.Fatalf("the channel follows %d things (err %v), want 1 (ferry; Storms was unfollowed)", len(subs), err)
	}
	if subs, err := h.store.Subscriptions(h.ctx, alice.ID); err != nil || len(subs) != 0 {
		t.Fatalf("alice's own chat follows %d things (err %v), want none", len(subs), err)
	}
	h.ingest(newEntry("0", "Primed"))
	h.ingest(newEntry("1", "Ferry runs late"))
	msgs := h.waitMessages(harbourChannel.ID, len(h.api.Messages(harbourChannel.ID))+1)
	if last := msgs[len(msgs)-1]; !strings.Contains(last.Text, "Ferry runs late") {
		t.Fatalf("the channel's last message is not the alert: %s", last.Text)
	}
}

// TestChannelAdminRevoked checks that a linked user who is no longer the channel's admin can
// no longer change its subscriptions.
func TestChannelAdminRevoked(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.start()
	h.waitHandled(h.api.ChannelPost(harbourChannel, "hello"))
	h.api.SetMemberStatus(harbourChannel.ID, h.api.Bot().ID, models.ChatMemberTypeAdministrator)
	h.api.SetMemberStatus(harbourChannel.ID, alice.ID, models.ChatMemberTypeAdministrator)
	h.reply(aliceChat, alice, "/channel @harbour_alerts")
	h.api.SetMemberStatus(harbourChannel.ID, alice.ID, models.ChatMemberTypeLeft)
	h.clock.Advance(adminCacheTTL + 1)
	got := h.reply(aliceChat, alice, "/follow ferry").Text
	if !strings.Contains(got, "Only administrators of <b>Harbour Alerts</b>") {
		t.Fatalf("a former admin changed the channel: %s", got)
	}
}

// TestChannelPostCommands checks that commands posted in the channel itself work: only its
// administrators can post there.
func TestChannelPostCommands(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.start()
	h.api.SetMemberStatus(harbourChannel.ID, h.api.Bot().ID, models.ChatMemberTypeAdministrator)
	before := len(h.api.Messages(harbourChannel.ID))
	h.waitHandled(h.api.ChannelPost(harbourChannel, "/follow harbour"))
	msgs := h.api.Messages(harbourChannel.ID)[before:]
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0].Text, "✅ Following <b>harbour</b>") {
		t.Fatalf("a channel post /follow was answered with %+v", msgs)
	}
	if subs, err := h.store.Subscriptions(h.ctx, harbourChannel.ID); err != nil || len(subs) != 1 {
		t.Fatalf("the channel follows %d things (err %v), want 1", len(subs), err)
	}
}
