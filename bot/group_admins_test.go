package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"livealert/bot/fakebotapi"
)

// TestGroupOnlyAdminsChange runs the subscription commands and keyboards in a group as its
// administrator (alice) and as a member (bob).
func TestGroupOnlyAdminsChange(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.start()
	h.api.SetMemberStatus(newsGroup.ID, alice.ID, models.ChatMemberTypeAdministrator)
	tr := &transcript{t: t}
	say := func(who fakebotapi.User, text string) []fakebotapi.Message {
		msgs := h.say(newsGroup, who, 0, text)
		tr.said(who.FirstName, text, msgs)
		return msgs
	}
	say(alice, "/follow ferry")
	say(bob, "/follow storm")
	say(bob, "/unfollow ferry")
	say(bob, "/digest 07:00")
	say(bob, "/list")
	say(bob, "/latest")
	kb := say(bob, "/topics")
	if len(kb) != 1 || kb[0].ReplyMarkup == nil {
		t.Fatalf("/topics by a member: want the keyboard to look at, got %+v", kb)
	}
	data := toggleTopicPrefix + "storms"
	answer := h.press(newsGroup, bob, kb[0].ID, data)
	tr.pressed("Bob", data, answer, messageByID(t, h, newsGroup.ID, kb[0].ID))
	if answer != en.T("not_admin_answer") {
		t.Fatalf("a member's toggle was answered %q", answer)
	}
	answer = h.press(newsGroup, alice, kb[0].ID, data)
	tr.pressed("Alice", data, answer, messageByID(t, h, newsGroup.ID, kb[0].ID))
	unfollow := say(alice, "/unfollow")
	data = unfollow[0].ReplyMarkup.InlineKeyboard[0][0].CallbackData
	answer = h.press(newsGroup, bob, unfollow[0].ID, data)
	tr.pressed("Bob", data, answer, messageByID(t, h, newsGroup.ID, unfollow[0].ID))
	golden(t, "conversation_group_admins.txt", tr.b.String())

	subs, err := h.store.Subscriptions(h.ctx, newsGroup.ID)
	if err != nil || len(subs) != 2 {
		t.Fatalf("the group follows %d things (err %v), want alice's 2", len(subs), err)
	}
}

// TestGroupAdminCache checks getChatMember is asked once per user per minute, and that a
// demoted administrator loses the right when the cached answer expires.
func TestGroupAdminCache(t *testing.T) {
	t.Parallel()
	h := newHarness(t, harnessOptions{})
	h.start()
	h.api.SetMemberStatus(newsGroup.ID, alice.ID, models.ChatMemberTypeOwner)
	before := h.api.Calls("getChatMember")
	h.reply(newsGroup, alice, "/follow ferry")
	h.reply(newsGroup, alice, "/follow storm")
	if n := h.api.Calls("getChatMember") - before; n != 1 {
		t.Fatalf("%d getChatMember calls for two commands within a minute, want 1", n)
	}
	h.api.SetMemberStatus(newsGroup.ID, alice.ID, models.ChatMemberTypeMember)
	if got := h.reply(newsGroup, alice, "/follow council").Text; !strings.HasPrefix(got, "✅") {
		t.Fatalf("within the cache's minute the demoted owner was refused: %s", got)
	}
	h.clock.Advance(adminCacheTTL + time.Second)
	if got := h.reply(newsGroup, alice, "/follow mayor").Text; got != notAdminText(en) {
		t.Fatalf("after the cache expired the demoted owner got: %s", got)
	}
}
